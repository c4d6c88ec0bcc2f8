/**
 * The demo agent workspace: sign in, take a conversation from the queue, chat, and use
 * <secure-form-panel> to send a secure form and read the answers. The session token lives in
 * this page's memory only; reloading the page signs the agent out.
 */
import {
  SESSION_HEADER,
  SecureFormsError,
  agentEventSchema,
  conversationListResponseSchema,
  conversationMessageSchema,
  conversationSchema,
  loginResponseSchema,
  messageListResponseSchema,
  type Conversation,
  type ConversationMessage,
  type LoginResponse,
} from '@secure-forms/shared';
import { html, render } from 'lit';
import { call, followEvents, loadDemoConfig } from './pci-client.js';
import { renderTranscript } from './transcript.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const signInForm = $<HTMLFormElement>('sign-in');
const signInError = $<HTMLParagraphElement>('sign-in-error');
const workspace = $<HTMLDivElement>('workspace');
const conversationList = $<HTMLUListElement>('conversations');
const conversationSection = $<HTMLElement>('conversation');
const transcript = $<HTMLOListElement>('transcript');
const sendForm = $<HTMLFormElement>('send-message');
const panelSlot = $<HTMLDivElement>('panel-slot');
const status = $<HTMLParagraphElement>('status');

const config = await loadDemoConfig();
// The panel is its own bundle, served by the brand origin like the loader is.
await import(/* @vite-ignore */ `${location.origin}/secure-forms/panel.js`);

let login: LoginResponse | null = null;
let conversations = new Map<string, Conversation>();
let current: string | null = null;
let messages: ConversationMessage[] = [];
let stream = new AbortController();

const sessionHeaders = () => ({ [SESSION_HEADER]: login?.token ?? '' });

function describeError(error: unknown): string {
  const code = error instanceof SecureFormsError ? error.code : 'INTERNAL';
  switch (code) {
    case 'INVALID_CREDENTIALS':
      return 'The username or password is not right. Check them and try again.';
    case 'ACCOUNT_LOCKED':
      return 'This account is locked after too many failed sign-ins. Ask an administrator to unlock it.';
    case 'SESSION_EXPIRED':
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    default:
      return `Something went wrong (${code}). Try again.`;
  }
}

function renderQueue(): void {
  const mine = [...conversations.values()].filter((c) => c.state !== 'closed');
  $<HTMLParagraphElement>('no-conversations').hidden = mine.length > 0;
  render(
    html`${mine.map(
      (c) => html`<li>
        <strong>${c.visitorName}</strong>
        <span>${c.assignedAgentId === login?.operator.id ? 'Assigned to you' : c.assignedAgentId ? 'Assigned to another agent' : 'Waiting'}</span>
        ${c.assignedAgentId === login?.operator.id
          ? html`<button type="button" class="secondary" @click=${() => openConversation(c.id)}>Open conversation with ${c.visitorName}</button>`
          : c.assignedAgentId
            ? null
            : html`<button type="button" @click=${() => take(c.id)}>Take conversation with ${c.visitorName}</button>`}
      </li>`,
    )}`,
    conversationList,
  );
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
  render(
    html`<secure-form-panel pci-origin=${config.pciOrigin} conversation-id=${id} .session=${login?.token ?? ''}></secure-form-panel>`,
    panelSlot,
  );
  $<HTMLInputElement>('message').focus();
}

function addMessage(conversationId: string, message: ConversationMessage): void {
  if (conversationId !== current || messages.some((m) => m.id === message.id)) return;
  messages = [...messages, message];
  renderTranscript(transcript, messages, { reader: 'agent' });
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(signInForm);
  signInError.textContent = '';
  try {
    login = await call(config, '/sessions', loginResponseSchema, {
      method: 'POST',
      body: { siteId: config.siteId, username: String(data.get('username') ?? ''), password: String(data.get('password') ?? '') },
    });
  } catch (error) {
    signInError.textContent = describeError(error);
    return;
  }
  signInForm.reset();
  signInForm.hidden = true;
  workspace.hidden = false;
  $<HTMLElement>('who').hidden = false;
  $<HTMLSpanElement>('who-name').textContent = `Signed in as ${login.operator.displayName}`;
  status.textContent = `Signed in as ${login.operator.displayName}.`;
  const list = await call(config, '/conversations', conversationListResponseSchema, { headers: sessionHeaders() });
  conversations = new Map(list.conversations.map((c) => [c.id, c]));
  renderQueue();
  stream = new AbortController();
  void followEvents(
    `${config.pciOrigin}/v1/agent/events`,
    sessionHeaders(),
    agentEventSchema,
    (e) => {
      if (e.type === 'conversation') {
        conversations.set(e.conversation.id, e.conversation);
        renderQueue();
      } else if (e.type === 'message') {
        addMessage(e.conversationId, e.message);
      }
    },
    stream.signal,
  );
});

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

$<HTMLButtonElement>('sign-out').addEventListener('click', async () => {
  stream.abort();
  render(html``, panelSlot);
  try {
    await call(config, '/sessions/current', null, { method: 'DELETE', headers: sessionHeaders() });
  } finally {
    login = null;
    current = null;
    workspace.hidden = true;
    conversationSection.hidden = true;
    $<HTMLElement>('who').hidden = true;
    signInForm.hidden = false;
    status.textContent = 'Signed out.';
    $<HTMLInputElement>('username').focus();
  }
});
