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
import { repeat } from 'lit/directives/repeat.js';
import { setUpPasswordChange } from './change-password.js';
import { setUpPasskeys } from './passkeys.js';
import { call, loadDemoConfig, type DemoConfig } from './pci-client.js';
import { showOperators } from './operators.js';
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
let conversations = new Map<string, Conversation>();
/** Where the next page of the queue starts; undefined when the last page was loaded. */
let nextPage: string | undefined;
/** The first page of the queue: until it comes the queue says it is loading, never that it is empty. */
let firstPage: 'loading' | 'loaded' | 'failed' = 'loading';
/** A page that "Show older conversations" asked for is on its way: another press waits for it. */
let loadingOlder = false;
let current: string | null = null;
let messages: ConversationMessage[] = [];
let stream = new AbortController();
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

/** The queue as this operator sees it: history readers look back at closed conversations too; agents see the live ones. */
const shownInQueue = (c: Conversation) => readsHistory() || c.state !== 'closed';
const itemId = (c: Conversation) => `queue-${c.id}`;

function renderQueue(): void {
  const mine = [...conversations.values()].filter(shownInQueue);
  $<HTMLParagraphElement>('queue-loading').hidden = firstPage !== 'loading';
  $<HTMLParagraphElement>('no-conversations').hidden = firstPage !== 'loaded' || mine.length > 0;
  // Keyed by conversation: a node (and the focus in it) stays with its conversation when others
  // come, go or move, instead of being reused in place for whichever conversation is there now.
  // Each item can take focus (tabindex=-1, not a tab stop) and is named by its visitor and state:
  // "Show older conversations" moves focus to the first item it brings, and a screen reader says
  // who that is and where they stand, as the agent would read it; Tab then reaches its button.
  render(
    html`${repeat(
      mine,
      (c) => c.id,
      (c) =>
        html`<li id=${itemId(c)} tabindex="-1" aria-labelledby="${itemId(c)}-name ${itemId(c)}-state">
          <strong id="${itemId(c)}-name">${c.visitorName}</strong>
          <span id="${itemId(c)}-state">${queueState(c)}</span>
          ${
            c.assignedAgentId === login?.operator.id || readsHistory()
              ? html`<button type="button" class="secondary" @click=${() => openConversation(c.id)}>
                  Open conversation with ${c.visitorName}
                </button>`
              : c.assignedAgentId
                ? null
                : html`<button type="button" @click=${() => take(c.id)}>Take conversation with ${c.visitorName}</button>`
          }
        </li>`,
    )}
    ${nextPage ? html`<li><button type="button" class="secondary" @click=${showOlder}>Show older conversations</button></li>` : null}`,
    conversationList,
  );
}

/** Load a page of the queue (the first, or the one after `cursor`) and add it to the list; undefined when it failed (the status says why). */
async function loadQueue(cursor?: string): Promise<Conversation[] | undefined> {
  try {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = await call(config, `/conversations${query}`, conversationListResponseSchema, { headers: sessionHeaders() });
    for (const c of page.conversations) conversations.set(c.id, c);
    nextPage = page.next;
    firstPage = 'loaded';
    renderQueue();
    return page.conversations;
  } catch (error) {
    status.textContent = describeError(error);
    if (!cursor) {
      firstPage = 'failed';
      renderQueue();
    }
    return undefined;
  }
}

/**
 * "Show older conversations": the next page, then focus on the first conversation it adds (the
 * button goes after the last page, and focus must not fall to the body: WCAG 2.4.3). A page that
 * adds nothing (already listed, or closed ones an agent does not see) says so; after the last
 * page focus goes to the last conversation, where the button was. On failure focus stays put.
 */
async function showOlder(event: Event): Promise<void> {
  const button = event.currentTarget as HTMLButtonElement;
  if (loadingOlder || !nextPage) return;
  loadingOlder = true;
  const listed = new Set([...conversations.values()].filter(shownInQueue).map((c) => c.id));
  const page = await loadQueue(nextPage).finally(() => (loadingOlder = false));
  // Focus is moved only from the button (or the body, where it falls when the button goes): if
  // the agent moved on while the page loaded, it stays where they put it.
  const focus = document.activeElement;
  if (!page || (focus !== button && focus !== document.body && focus !== null)) return;
  const first = page.find((c) => !listed.has(c.id) && shownInQueue(c));
  if (first) {
    $<HTMLLIElement>(itemId(first)).focus();
  } else if (nextPage) {
    status.textContent = 'No conversations to show on that page. There are older ones still.';
  } else {
    status.textContent = 'No older conversations.';
    const last = conversationList.lastElementChild as HTMLLIElement | null;
    (last ?? $<HTMLHeadingElement>('queue-heading')).focus();
  }
}

async function take(id: string): Promise<void> {
  try {
    const taken = await call(config, `/conversations/${id}/assign`, conversationSchema, { method: 'POST', headers: sessionHeaders() });
    conversations.set(id, taken);
    renderQueue();
    await openConversation(id);
  } catch (error) {
    status.textContent = describeError(error);
  }
}

async function openConversation(id: string): Promise<void> {
  current = id;
  const history = await call(config, `/conversations/${id}/messages`, messageListResponseSchema, { headers: sessionHeaders() });
  messages = history.messages;
  conversationSection.hidden = false;
  $<HTMLHeadingElement>('conversation-heading').textContent = `Conversation with ${conversations.get(id)?.visitorName ?? 'visitor'}`;
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
  const c = current ? conversations.get(current) : undefined;
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
  try {
    const { agents } = await call(config, '/agents', agentListResponseSchema, { headers: sessionHeaders() });
    render(html`${agents.map((a) => html`<option value=${a.id}>${a.displayName}</option>`)}`, $<HTMLSelectElement>('transfer-to'));
    transferForm.hidden = agents.length === 0 || sendForm.hidden;
  } catch (error) {
    status.textContent = describeError(error);
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

async function signedIn(session: LoginResponse): Promise<void> {
  login = session;
  workspace.hidden = false;
  $<HTMLElement>('who').hidden = false;
  $<HTMLSpanElement>('who-name').textContent = `Signed in as ${login.operator.displayName}`;
  status.textContent = `Signed in as ${login.operator.displayName}.`;
  // Follow the events first, then load the queue: a change that lands while the first page loads
  // (a chat transferred to this agent, which may sit past the first page) still reaches the list.
  conversations = new Map();
  nextPage = undefined;
  // The previous operator's queue goes at once; "Loading conversations…" stands in its place.
  firstPage = 'loading';
  renderQueue();
  stream = new AbortController();
  void followEventStream(`${config.pciOrigin}/v1/agent/events`, sessionHeaders(), agentEventSchema, {
    signal: stream.signal,
    onEvent: (e) => {
      if (e.type === 'conversation') {
        conversations.set(e.conversation.id, e.conversation);
        renderQueue();
        if (e.conversation.id === current) updateComposer();
      } else if (e.type === 'message') {
        addMessage(e.conversationId, e.message);
      }
    },
    onRefused: (error) => {
      status.textContent = describeError(error);
    },
  });
  await loadQueue();
  if (login.operator.role === 'admin') {
    await showOperators($<HTMLElement>('operators'), {
      config,
      headers: sessionHeaders,
      self: login.operator.id,
      say: (text) => (status.textContent = text),
      describe: describeError,
    });
  }
  // The sign-in form that had focus is gone: focus goes to the queue, where work starts (WCAG 2.4.3).
  $<HTMLHeadingElement>('queue-heading').focus();
  await passkeys.offer();
}

sendForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('message');
  const text = input.value.trim();
  if (!text || !current) return;
  try {
    const message = await call(config, `/conversations/${current}/messages`, conversationMessageSchema, {
      method: 'POST',
      headers: sessionHeaders(),
      body: { text },
    });
    input.value = '';
    addMessage(current, message);
  } catch (error) {
    status.textContent = describeError(error);
  }
});

transferForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const agentId = $<HTMLSelectElement>('transfer-to').value;
  if (!agentId || !current) return;
  try {
    const after = await call(config, `/conversations/${current}/transfer`, conversationSchema, {
      method: 'POST',
      headers: sessionHeaders(),
      body: { agentId },
    });
    conversations.set(after.id, after);
    renderQueue();
    updateComposer();
  } catch (error) {
    status.textContent = describeError(error);
  }
});

/** Back to the sign-in form, with `text` in the status region; focus on the username. */
function showSignIn(text: string): void {
  stream.abort();
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
  stream.abort();
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
});

const passkeys = setUpPasskeys($<HTMLButtonElement>('passkeys-open'), $<HTMLDivElement>('passkeys'), {
  config: () => config,
  headers: sessionHeaders,
  say: (text) => (status.textContent = text),
  describe: describeError,
  signedOut: showSignIn,
});
