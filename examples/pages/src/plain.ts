/**
 * Bring your own chat, the visitor's page: plain DOM, no chat library. Lines from the brand's chat
 * server (webhook status lines among them) and secure forms from Secure Forms, in one log.
 */
import '@secure-forms/consumer-widget';
import type { SecureFormInvite } from '@secure-forms/consumer-widget';
import { askVisitorName } from './start-form.ts';
import { startVisitorChat } from './visitor-chat.ts';

const lines = document.getElementById('lines')!;
const status = document.getElementById('chat-status')!;
const composer = document.querySelector<HTMLFormElement>('form.composer')!;
const invites = new Map<string, SecureFormInvite>();

function append(child: Node, from: string): void {
  const item = document.createElement('li');
  item.className = `from-${from}`;
  item.append(child);
  lines.append(item);
}

const visitorName = await askVisitorName(document.querySelector<HTMLFormElement>('form.start')!);
status.textContent = 'Connecting…';
const visitor = await startVisitorChat(visitorName, {
  onLine: (line) =>
    append(
      document.createTextNode(`${line.from === 'system' ? '' : `${line.from === 'agent' ? 'Agent' : visitorName}: `}${line.text}`),
      line.from,
    ),
  onInvitation: ({ conversationToken, ...attributes }) => {
    const invite = document.createElement('secure-form-invite');
    Object.assign(invite, attributes);
    invite.conversationToken = conversationToken; // a property, never an attribute
    invites.set(attributes.invitationId, invite);
    append(invite, 'agent');
  },
  onNotice: (text) => (status.textContent = text),
  onInvitationState: (invitationId, state) => {
    const invite = invites.get(invitationId);
    if (invite) invite.state = state;
  },
});
document.getElementById('chat')!.hidden = false;
status.textContent = 'Connected. An agent will be with you shortly.';
composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = composer.querySelector('input')!;
  void visitor.send(input.value.trim());
  input.value = '';
});
