/**
 * The brand's agent workspace, with the Secure Forms agent panel. No second sign-in form: the
 * workspace backend (the chat server) mints a workspace token for its signed-in agent, and the
 * page exchanges it for a Secure Forms session (docs/integration.md, section 7). Conversations
 * and their lines come from the chat server; the panel sends forms and reveals the answers.
 */
import '@secure-forms/agent-panel';
import { exchangeWorkspaceToken } from '@secure-forms/shared/workspace-token';
import { SecureFormsError } from '@secure-forms/shared';
import type { ChatConversation, ChatLine } from '../../chat-server/protocol.ts';

const status = document.getElementById('workspace-status')!;
const list = document.getElementById('conversations')!;
const section = document.getElementById('conversation')!;
const lines = document.getElementById('lines')!;
const panel = document.querySelector('secure-form-panel')!;
const composer = document.querySelector<HTMLFormElement>('form.composer')!;
let current: ChatConversation | undefined;
let lineStream: EventSource | undefined;

try {
  const minted = await fetch('/api/agent/workspace-token', { method: 'POST' });
  if (!minted.ok) throw new Error(`the workspace backend answered ${minted.status}`);
  const { token, siteId, pciOrigin } = (await minted.json()) as { token: string; siteId: string; pciOrigin: string };
  const signIn = await exchangeWorkspaceToken(pciOrigin, siteId, token);
  // This example's site asks agents for no second factor; a site that does answers 'second-factor'
  // unless the token's `amr` says the workspace's identity provider performed one.
  if (signIn.kind !== 'session') throw new Error('the site asks for a second factor');
  panel.pciOrigin = pciOrigin;
  panel.operatorId = signIn.session.operator.id;
  panel.permissions = signIn.session.operator.permissions;
  panel.idleTimeoutSeconds = signIn.session.idleTimeoutSeconds;
  panel.session = signIn.session.token;
  status.textContent = `Signed in to Secure Forms as ${signIn.session.operator.displayName}.`;
} catch (error) {
  const code = error instanceof SecureFormsError ? error.code : (error as Error).message;
  status.textContent = `Secure Forms did not sign you in (${code}). Reload the page to try again.`;
}

function open(conversation: ChatConversation): void {
  current = conversation;
  section.hidden = false;
  document.getElementById('conversation-heading')!.textContent = `Conversation with ${conversation.visitorName}`;
  panel.conversationId = conversation.secureFormsConversationId;
  lines.replaceChildren();
  lineStream?.close();
  lineStream = new EventSource(`/api/conversations/${conversation.id}/events`);
  lineStream.addEventListener('message', (event: MessageEvent<string>) => {
    const line = JSON.parse(event.data) as ChatLine;
    const item = document.createElement('li');
    item.className = `from-${line.from}`;
    item.textContent = line.from === 'system' ? line.text : `${line.from === 'agent' ? 'You' : conversation.visitorName}: ${line.text}`;
    lines.append(item);
  });
}

new EventSource('/api/agent/conversations').addEventListener('message', (event: MessageEvent<string>) => {
  const conversation = JSON.parse(event.data) as ChatConversation;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Open conversation with ${conversation.visitorName}`;
  button.addEventListener('click', () => open(conversation));
  const item = document.createElement('li');
  item.append(button);
  list.append(item);
});

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = composer.querySelector('input')!;
  if (!current) return;
  void fetch(`/api/conversations/${current.id}/lines`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: 'agent', text: input.value.trim() }),
  });
  input.value = '';
});
