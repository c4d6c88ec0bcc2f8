/**
 * The visitor's side of the example chat, for every chat UI: start a conversation with the
 * brand's chat server (which registers it with Secure Forms and answers the conversation token),
 * hear the chat's own lines (the chat server's event stream, webhook status lines included), and
 * hear of secure forms from Secure Forms' visitor event stream. The UI renders each invitation as
 * a `<secure-form-invite>`; the card data never passes through the chat.
 */
import { CONVERSATION_HEADER, followEventStream, localize, visitorEventSchema, type InvitationState } from '@secure-forms/shared';
import type { ChatLine } from '../../chat-server/protocol.ts';

/** What a `<secure-form-invite>` needs; the token goes in as a property, never an attribute. */
export interface InvitationProps {
  invitationId: string;
  formTitle: string;
  pciOrigin: string;
  siteId: string;
  conversationToken: string;
}

export interface VisitorChatHandlers {
  onLine(line: ChatLine): void;
  onInvitation(invitation: InvitationProps): void;
  onInvitationState(invitationId: string, state: InvitationState): void;
  /** Secure Forms refused the visitor's event stream (the conversation closed…): a sentence to show. */
  onNotice(text: string): void;
}

export interface VisitorChat {
  send(text: string): Promise<void>;
}

export async function startVisitorChat(visitorName: string, handlers: VisitorChatHandlers): Promise<VisitorChat> {
  const response = await fetch('/api/conversations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ visitorName }),
  });
  if (!response.ok) throw new Error(`The chat could not start (HTTP ${response.status}). Try again in a moment.`);
  const started = (await response.json()) as {
    id: string;
    pciOrigin: string;
    siteId: string;
    conversationToken: string;
    secureFormsConversationId: string;
  };
  const lines = new EventSource(`/api/conversations/${started.id}/events`);
  lines.addEventListener('message', (event: MessageEvent<string>) => handlers.onLine(JSON.parse(event.data) as ChatLine));
  void followEventStream(
    `${started.pciOrigin}/v1/conversations/${started.secureFormsConversationId}/events`,
    { [CONVERSATION_HEADER]: started.conversationToken },
    visitorEventSchema,
    {
      signal: new AbortController().signal,
      onEvent: (event) => {
        if (event.type !== 'message') return;
        const m = event.message;
        if (m.kind === 'invitation') {
          handlers.onInvitation({
            invitationId: m.invitationId,
            formTitle: localize(m.formTitle, navigator.language),
            pciOrigin: started.pciOrigin,
            siteId: started.siteId,
            conversationToken: started.conversationToken,
          });
        } else if (m.kind === 'invitation-status') {
          handlers.onInvitationState(m.invitationId, m.state);
        }
      },
      onRefused: (error) =>
        handlers.onNotice(
          error.code === 'CONVERSATION_CLOSED'
            ? 'This chat has ended.'
            : `Secure forms cannot reach this chat (${error.code}). Reload the page.`,
        ),
    },
  );
  return {
    async send(text) {
      await fetch(`/api/conversations/${started.id}/lines`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: 'visitor', text }),
      });
    },
  };
}
