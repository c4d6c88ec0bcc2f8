/**
 * The demo agent workspace: sign in, take a conversation from the queue, chat, and use
 * <secure-form-panel> to send a secure form and read the answers. The session token lives in
 * this page's memory only; reloading the page signs the agent out.
 */
import {
  SESSION_HEADER,
  SecureFormsError,
  agentListResponseSchema,
  agentEventSchema,
  conversationListResponseSchema,
  conversationMessageSchema,
  conversationSchema,
  followEventStream,
  messageListResponseSchema,
  type Conversation,
  type ConversationMessage,
  type LoginResponse,
} from '@secure-forms/shared';
import { html, render } from 'lit';
import { setUpPasswordChange } from './change-password.js';
import { setUpPasskeys } from './passkeys.js';
import { call, loadDemoConfig, type DemoConfig } from './pci-client.js';
import { showOperators } from './operators.js';
import { setUpQueue } from './queue.js';
import { setUpSignIn } from './sign-in.js';
import { renderTranscript } from './transcript.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const workspace = $<HTMLDivElement>('workspace');
const conversationList = $<HTMLUListElement>('conversations');
const conversationSection = $<HTMLElement>('conversation');
const transcript = $<HTMLOListElement>('transcript');
const sendForm = $<HTMLFormElement>('send-message');
const panelSlot = $<HTMLDivElement>('panel-slot');
const transferForm = $<HTMLFormElement>('transfer');
const status = $<HTMLParagraphElement>('status');

// No top-level await before the listeners: a press of "Sign in" while the configuration and the
// panel still load waits for them ("Signing in…") instead of doing nothing. Until this script runs
// at all, the button is disabled in the HTML, so the form cannot submit itself natively either.
// The panel is its own bundle, served by the brand origin like the loader is.
const ready = Promise.all([loadDemoConfig(), import(/* @vite-ignore */ `${location.origin}/secure-forms/panel.js`)]);
let config: DemoConfig;

let login: LoginResponse | null = null;
let current: string | null = null;
let messages: ConversationMessage[] = [];
/**
 * The signed-in operator's session, aborted when it ends (signing out, or `showSignIn`): with it
 * the event stream and every read made under it. Each answer is applied only while its session
 * (and, for a conversation's, its conversation) is still the page's: one that comes later is
 * dropped, never shown to the next operator who signs in. Writes (take, send, transfer) are not
 * aborted, since their effect at the server stands either way; their answers are dropped too.
 */
let session = new AbortController();
/**
 * The panel's language from `?lang=` (`/agent?lang=ar` shows it in Arabic, right to left), so that
 * QA can check each language without changing the browser's; unset, the panel follows the page.
 */
const panelLocale = new URLSearchParams(location.search).get('lang') ?? '';
/** Managers with the permission read responses in history; everyone else works as an agent. */
const readsHistory = () => login?.operator.permissions.includes('view-responses-in-history') ?? false;

const sessionHeaders = () => ({ [SESSION_HEADER]: login?.token ?? '' });

function describeError(error: unknown): string {
  const code = error instanceof SecureFormsError ? error.code : 'INTERNAL';
  switch (code) {
    case 'INVALID_CREDENTIALS':
      return 'The username or password is not right. Check them and try again.';
    case 'ACCOUNT_LOCKED':
      return 'This account is locked after too many failed sign-ins. Ask an administrator to unlock it.';
    case 'TOTP_WRONG':
      return 'That code is not right. Enter the code your authenticator app shows now.';
    case 'TOTP_REUSED':
      return 'That code was already used. Wait for the next code in your authenticator app, then enter it.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a minute, then try again.';
    case 'VALIDATION_FAILED':
      return 'Enter the 6-digit code from your authenticator app.';
    case 'SESSION_EXPIRED':
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    default:
      return `Something went wrong (${code}). Try again.`;
  }
}

/** Where a conversation stands, from this operator's side. */
function queueState(c: Conversation): string {
  if (c.state === 'closed') return 'Closed';
  if (c.assignedAgentId === login?.operator.id) return 'Assigned to you';
  return c.assignedAgentId ? 'Assigned to another agent' : 'Waiting';
}

/** The queue: its pages, its order and its focus are queue.ts's; what each operator sees and can do in it is here. */
const queue = setUpQueue({
  list: conversationList,
  loading: $<HTMLParagraphElement>('queue-loading'),
  empty: $<HTMLParagraphElement>('no-conversations'),
  heading: $<HTMLHeadingElement>('queue-heading'),
  fetchPage: (cursor, signal) =>
    call(config, `/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, conversationListResponseSchema, {
      headers: sessionHeaders(),
      signal,
    }),
  // History readers look back at closed conversations too; agents see the live ones.
  shown: (c) => readsHistory() || c.state !== 'closed',
  state: queueState,
  action: (c) =>
    c.assignedAgentId === login?.operator.id || readsHistory()
      ? html`<button type="button" class="secondary" @click=${() => openConversation(c.id)}>
          Open conversation with ${c.visitorName}
        </button>`
      : c.assignedAgentId
        ? null
        : html`<button type="button" @click=${() => take(c.id)}>Take conversation with ${c.visitorName}</button>`,
  say: (text) => (status.textContent = text),
  describe: describeError,
});

async function take(id: string): Promise<void> {
  const { signal } = session;
  try {
    const taken = await call(config, `/conversations/${id}/assign`, conversationSchema, { method: 'POST', headers: sessionHeaders() });
    if (signal.aborted) return;
    queue.put(taken);
    await openConversation(id);
  } catch (error) {
    if (!signal.aborted) status.textContent = describeError(error);
  }
}

async function openConversation(id: string): Promise<void> {
  const { signal } = session;
  current = id;
  let history;
  try {
    history = await call(config, `/conversations/${id}/messages`, messageListResponseSchema, { headers: sessionHeaders(), signal });
  } catch (error) {
    if (!signal.aborted && current === id) status.textContent = describeError(error);
    return;
  }
  // This session's transcript of conversation `id`: not another operator's, nor another conversation's.
  if (signal.aborted || current !== id) return;
  messages = history.messages;
  conversationSection.hidden = false;
  $<HTMLHeadingElement>('conversation-heading').textContent = `Conversation with ${queue.get(id)?.visitorName ?? 'visitor'}`;
  renderTranscript(transcript, messages, { reader: 'agent' });
  updateComposer();
  render(
    html`<secure-form-panel
      pci-origin=${config.pciOrigin}
      locale=${panelLocale}
      conversation-id=${id}
      mode=${readsHistory() ? 'history' : 'agent'}
      operator-id=${login?.operator.id ?? ''}
      .permissions=${login?.operator.permissions ?? []}
      .session=${login?.token ?? ''}
    ></secure-form-panel>`,
    panelSlot,
  );
  $<HTMLInputElement>('message').focus();
}

/**
 * Only the assigned agent writes in an open conversation; a manager reads. When the conversation
 * passes to another agent or closes, the message box goes, and the status says why.
 */
function updateComposer(): void {
  const c = current ? queue.get(current) : undefined;
  const writes = !readsHistory() && c?.state !== 'closed' && c?.assignedAgentId === login?.operator.id;
  if (!writes && !sendForm.hidden && c && !readsHistory()) {
    status.textContent = c.state === 'closed' ? 'This conversation has closed.' : 'This conversation was transferred to another agent.';
    // Focus in the message box or the transfer form would drop to the body: move it to the conversation's heading.
    if (sendForm.contains(document.activeElement) || transferForm.contains(document.activeElement)) {
      $<HTMLHeadingElement>('conversation-heading').focus();
    }
  }
  sendForm.hidden = !writes;
  transferForm.hidden = true;
  if (writes) void offerTransfer();
}

/** The transfer control: the other agents who can take the conversation now; hidden when there are none. */
async function offerTransfer(): Promise<void> {
  const { signal } = session;
  const id = current;
  try {
    const { agents } = await call(config, '/agents', agentListResponseSchema, { headers: sessionHeaders(), signal });
    if (signal.aborted || current !== id) return;
    render(html`${agents.map((a) => html`<option value=${a.id}>${a.displayName}</option>`)}`, $<HTMLSelectElement>('transfer-to'));
    transferForm.hidden = agents.length === 0 || sendForm.hidden;
  } catch (error) {
    if (!signal.aborted && current === id) status.textContent = describeError(error);
  }
}

function addMessage(conversationId: string, message: ConversationMessage): void {
  if (conversationId !== current || messages.some((m) => m.id === message.id)) return;
  messages = [...messages, message];
  renderTranscript(transcript, messages, { reader: 'agent' });
}

const signIn = setUpSignIn({
  config: ready.then(([loaded]) => (config = loaded)),
  status,
  locale: panelLocale,
  describe: describeError,
  signedIn,
});

async function signedIn(answer: LoginResponse): Promise<void> {
  login = answer;
  workspace.hidden = false;
  $<HTMLElement>('who').hidden = false;
  $<HTMLSpanElement>('who-name').textContent = `Signed in as ${login.operator.displayName}`;
  status.textContent = `Signed in as ${login.operator.displayName}.`;
  // Follow the events first, then load the queue: a change that lands while the first page loads
  // (a chat transferred to this agent, which may sit past the first page) still reaches the list.
  session.abort();
  session = new AbortController();
  const { signal } = session;
  void followEventStream(`${config.pciOrigin}/v1/agent/events`, sessionHeaders(), agentEventSchema, {
    signal,
    onEvent: (e) => {
      if (signal.aborted) return;
      if (e.type === 'conversation') {
        queue.put(e.conversation);
        if (e.conversation.id === current) updateComposer();
      } else if (e.type === 'message') {
        addMessage(e.conversationId, e.message);
      }
    },
    onRefused: (error) => {
      if (!signal.aborted) status.textContent = describeError(error);
    },
  });
  // The previous operator's queue goes at once; "Loading conversations…" stands in its place.
  await queue.start(signal);
  // Signed out (and maybe someone else in) while the queue loaded: the rest was theirs.
  if (signal.aborted) return;
  if (login.operator.role === 'admin') {
    await showOperators($<HTMLElement>('operators'), {
      config,
      headers: sessionHeaders,
      self: login.operator.id,
      say: (text) => (status.textContent = text),
      describe: describeError,
      signal,
    });
    if (signal.aborted) return;
  }
  // The sign-in form that had focus is gone: focus goes to the queue, where work starts (WCAG 2.4.3).
  $<HTMLHeadingElement>('queue-heading').focus();
  await passkeys.offer();
}

sendForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('message');
  const text = input.value.trim();
  const id = current;
  const { signal } = session;
  if (!text || !id) return;
  try {
    const message = await call(config, `/conversations/${id}/messages`, conversationMessageSchema, {
      method: 'POST',
      headers: sessionHeaders(),
      body: { text },
    });
    // Into conversation `id`'s transcript only, and only while this session is the page's.
    if (signal.aborted || current !== id) return;
    input.value = '';
    addMessage(id, message);
  } catch (error) {
    if (!signal.aborted) status.textContent = describeError(error);
  }
});

transferForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const agentId = $<HTMLSelectElement>('transfer-to').value;
  const id = current;
  const { signal } = session;
  if (!agentId || !id) return;
  try {
    const after = await call(config, `/conversations/${id}/transfer`, conversationSchema, {
      method: 'POST',
      headers: sessionHeaders(),
      body: { agentId },
    });
    if (signal.aborted) return;
    queue.put(after);
    if (current === id) updateComposer();
  } catch (error) {
    if (!signal.aborted) status.textContent = describeError(error);
  }
});

/** Back to the sign-in form, with `text` in the status region; focus on the username. */
function showSignIn(text: string): void {
  session.abort();
  render(html``, panelSlot);
  passwordChange.close();
  passkeys.close();
  login = null;
  current = null;
  workspace.hidden = true;
  conversationSection.hidden = true;
  $<HTMLElement>('operators').hidden = true;
  $<HTMLElement>('who').hidden = true;
  signIn.reset();
  status.textContent = text;
}

$<HTMLButtonElement>('sign-out').addEventListener('click', async () => {
  session.abort();
  render(html``, panelSlot);
  let provider: string | undefined;
  try {
    provider = await signIn.signOut(sessionHeaders());
  } finally {
    showSignIn('Signed out.');
  }
  // A single sign-on session: on to the provider to sign out there too; it sends the browser back here.
  if (provider) location.assign(provider);
});

const passwordChange = setUpPasswordChange($<HTMLButtonElement>('change-password-open'), $<HTMLDivElement>('change-password'), {
  config: () => config,
  headers: sessionHeaders,
  say: (text) => (status.textContent = text),
  describe: describeError,
  signedOut: showSignIn,
  session: () => session.signal,
});

const passkeys = setUpPasskeys($<HTMLButtonElement>('passkeys-open'), $<HTMLDivElement>('passkeys'), {
  config: () => config,
  headers: sessionHeaders,
  say: (text) => (status.textContent = text),
  describe: describeError,
  signedOut: showSignIn,
  session: () => session.signal,
});
