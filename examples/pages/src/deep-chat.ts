/**
 * The invitation inside deep-chat (npm `deep-chat`), a chat web component that renders in its own
 * shadow root. A secure form arrives as an HTML message holding a `<secure-form-invite>`; the
 * page then finds the element in deep-chat's shadow root and gives it the conversation token (a
 * property: HTML cannot carry it, and must not). The chat's own lines arrive from the chat server.
 */
import './sanitizing-policy.ts';
import '@secure-forms/consumer-widget';
import 'deep-chat';
import type { SecureFormInvite } from '@secure-forms/consumer-widget';
import { askVisitorName } from './start-form.ts';
import { startVisitorChat, type InvitationProps, type VisitorChat } from './visitor-chat.ts';

const chat = document.createElement('deep-chat');
chat.setAttribute('aria-label', 'Chat');
// deep-chat adds a Google Fonts stylesheet unless the element names its own font: the page's
// `style-src 'self'` would refuse it, and it would tell a third party about every visitor.
chat.style.fontFamily = 'system-ui, sans-serif';
// deep-chat also sets its width to 320 px unless the element has one (on the element itself, over
// the stylesheet): at 320 px, inside the page's margins, it would be wider than the screen.
chat.style.width = '100%';
// deep-chat names its text input after the placeholder.
chat.textInput = { placeholder: { text: 'Message' } };
const status = document.getElementById('chat-status')!;
const tokens = new Map<string, string>();

/** The invitation as HTML, built in an inert document (no element upgrades, attributes escaped). */
function invitationHtml({ invitationId, formTitle, pciOrigin, siteId }: InvitationProps): string {
  const invite = document.implementation.createHTMLDocument().createElement('secure-form-invite');
  for (const [name, value] of Object.entries({
    'invitation-id': invitationId,
    'form-title': formTitle,
    'pci-origin': pciOrigin,
    'site-id': siteId,
  })) {
    invite.setAttribute(name, value);
  }
  return invite.outerHTML;
}

/**
 * What deep-chat 2.4.2 leaves out for WCAG 2.2 AA (axe: aria-command-name,
 * scrollable-region-focusable): a name for its send button, and keyboard access to the
 * scrolling message list.
 */
function completeAccessibility(): void {
  for (const button of chat.shadowRoot?.querySelectorAll('.input-button[role="button"]:not([aria-label])') ?? []) {
    button.setAttribute('aria-label', 'Send');
  }
  const messages = chat.shadowRoot?.getElementById('messages');
  if (messages && !messages.hasAttribute('tabindex')) {
    messages.tabIndex = 0;
    messages.setAttribute('aria-label', 'Messages');
  }
}

const invites = () => chat.shadowRoot?.querySelectorAll<SecureFormInvite>('secure-form-invite') ?? [];
// deep-chat may render a message again (a re-layout): whenever an invite appears, give it its token.
const giveTokens = () => {
  for (const invite of invites()) invite.conversationToken = tokens.get(invite.invitationId) ?? '';
};

/**
 * `chat.addMessage`, leaving the messages where they are while a secure form is open (the invite's
 * `open`). deep-chat 2.4.2 scrolls to its end when a message comes, in a timer it sets as it adds
 * it, and has no setting to stop that: the open form would move up by the message's height, under
 * the visitor's pointer, and a press aimed at "Continue" or "Send securely" would land beside it. A
 * timer set after deep-chat's runs after it and puts the messages back; the message is below, where
 * the visitor finds it once done.
 */
function addMessage(message: Parameters<typeof chat.addMessage>[0]): void {
  const messages = chat.shadowRoot?.getElementById('messages');
  const formOpen = [...invites()].some((invite) => invite.open);
  const scrollTop = messages?.scrollTop;
  chat.addMessage(message);
  if (formOpen && messages && scrollTop !== undefined) setTimeout(() => (messages.scrollTop = scrollTop));
}

/** The visitor's chat, once started. */
const session: { visitor?: VisitorChat } = {};
// Set once, before the first message: deep-chat renders itself again when `connect` changes.
chat.connect = {
  websocket: true,
  handler: (_body, signals) => {
    signals.onOpen();
    signals.newUserMessage.listener = (body: { messages: { text?: string }[] }) => {
      for (const m of body.messages) if (m.text) void session.visitor?.send(m.text);
    };
  },
};

const visitorName = await askVisitorName(document.querySelector('form')!);
document.getElementById('chat-status')!.before(chat);
new MutationObserver(() => {
  giveTokens();
  completeAccessibility();
}).observe(chat.shadowRoot!, { subtree: true, childList: true });
status.textContent = 'Connecting…';
session.visitor = await startVisitorChat(visitorName, {
  onLine: (line) => {
    // deep-chat shows the visitor's own messages as they are sent.
    if (line.from !== 'visitor') addMessage({ role: line.from === 'agent' ? 'ai' : 'system', text: line.text });
  },
  onInvitation: (invitation) => {
    tokens.set(invitation.invitationId, invitation.conversationToken);
    addMessage({ role: 'ai', html: invitationHtml(invitation) });
    giveTokens();
  },
  onNotice: (text) => (status.textContent = text),
  onInvitationState: (invitationId, state) => {
    for (const invite of invites()) if (invite.invitationId === invitationId) invite.state = state;
  },
});
status.textContent = 'Connected. An agent will be with you shortly.';
