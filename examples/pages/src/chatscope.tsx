/**
 * The invitation inside a React chat built with @chatscope/chat-ui-kit-react: each secure form is
 * a message whose custom content is the consumer widget's React wrapper, `<SecureFormInvite>`,
 * which sets the conversation token as a property. Text messages render as text (`type: 'text'`),
 * never as HTML. chatscope's message input writes its content with `innerHTML`: the sanitizing
 * Trusted Types default policy (./sanitizing-policy.ts) serves it under the page's strict CSP.
 */
import './sanitizing-policy.ts';
// chatscope's icons come from Font Awesome, which adds its CSS as an inline <style> element unless
// told not to; the page's `style-src 'self'` refuses that, so its stylesheet is bundled instead.
import { config as fontAwesome } from '@fortawesome/fontawesome-svg-core';
import '@fortawesome/fontawesome-svg-core/styles.css';
import '@chatscope/chat-ui-kit-styles/dist/default/styles.min.css';
import { ChatContainer, MainContainer, Message, MessageInput, MessageList } from '@chatscope/chat-ui-kit-react';
import type { SecureFormInvite as SecureFormInviteElement } from '@secure-forms/consumer-widget';
import { SecureFormInvite } from '@secure-forms/consumer-widget/react';
import type { InvitationState } from '@secure-forms/shared';
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ChatLine } from '../../chat-server/protocol.ts';
import { askVisitorName } from './start-form.ts';
import { startVisitorChat, type InvitationProps, type VisitorChat } from './visitor-chat.ts';

type Item = { kind: 'line'; line: ChatLine } | { kind: 'invitation'; invitation: InvitationProps; state: InvitationState };

function Chat({ visitorName, onStatus }: { visitorName: string; onStatus: (text: string) => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [visitor, setVisitor] = useState<VisitorChat>();
  useEffect(() => {
    onStatus('Connecting…');
    void startVisitorChat(visitorName, {
      onLine: (line) => setItems((all) => [...all, { kind: 'line', line }]),
      onInvitation: (invitation) => setItems((all) => [...all, { kind: 'invitation', invitation, state: 'sent' }]),
      onNotice: onStatus,
      onInvitationState: (invitationId, state) =>
        setItems((all) => all.map((i) => (i.kind === 'invitation' && i.invitation.invitationId === invitationId ? { ...i, state } : i))),
    }).then(setVisitor, (error: Error) => onStatus(error.message));
  }, [visitorName, onStatus]);
  useEffect(() => {
    if (visitor) onStatus('Connected. An agent will be with you shortly.');
  }, [visitor, onStatus]);
  // What chatscope 2.1.1 leaves out for WCAG 2.2 AA: a name for its icon-only send button (axe:
  // button-name) and a role and name for its content-editable message box. React keeps them.
  const root = useRef<HTMLDivElement>(null);
  // While a secure form is open (the invite's `open`), a new line must not scroll the chat to its
  // end: chatscope would move the open form up by the line's height, under the visitor's pointer,
  // and a press aimed at "Continue" or "Send securely" would land beside it. Read at the render that
  // adds the line, which is when chatscope uses it.
  const formOpen = [...document.querySelectorAll<SecureFormInviteElement>('secure-form-invite')].some((invite) => invite.open);
  useEffect(() => {
    root.current?.querySelector('.cs-button--send')?.setAttribute('aria-label', 'Send');
    const editor = root.current?.querySelector('.cs-message-input__content-editor');
    editor?.setAttribute('role', 'textbox');
    editor?.setAttribute('aria-label', 'Message');
  }, []);

  return (
    <div ref={root} className="chatscope-root">
      <MainContainer>
        <ChatContainer>
          <MessageList autoScrollToBottom={!formOpen}>
            {items.map((item) =>
              item.kind === 'line' ? (
                <Message
                  key={item.line.id}
                  model={{
                    type: 'text',
                    payload: item.line.text,
                    direction: item.line.from === 'visitor' ? 'outgoing' : 'incoming',
                    position: 'single',
                    sender: item.line.from === 'visitor' ? visitorName : item.line.from === 'agent' ? 'Agent' : 'Chat',
                  }}
                />
              ) : (
                <Message
                  key={item.invitation.invitationId}
                  model={{ type: 'custom', direction: 'incoming', position: 'single', sender: 'Agent' }}
                >
                  <Message.CustomContent>
                    <SecureFormInvite {...item.invitation} state={item.state} />
                  </Message.CustomContent>
                </Message>
              ),
            )}
          </MessageList>
          <MessageInput placeholder="Message" attachButton={false} onSend={(_html, text) => void visitor?.send(text)} />
        </ChatContainer>
      </MainContainer>
    </div>
  );
}

fontAwesome.autoAddCss = false;
const status = document.getElementById('chat-status')!;
const container = document.getElementById('chat')!;
const visitorName = await askVisitorName(document.querySelector('form')!);
container.hidden = false;
createRoot(container).render(<Chat visitorName={visitorName} onStatus={(text) => (status.textContent = text)} />);
