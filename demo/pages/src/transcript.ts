/**
 * Renders a conversation transcript for both demo pages. Secure forms appear as invitations and
 * status lines only; the transcript never holds a value.
 */
import type { SecureFormInvite } from '@secure-forms/consumer-widget';
import { localize, type ConversationMessage, type InvitationState } from '@secure-forms/shared';
import { html, nothing, render, type TemplateResult } from 'lit';

const STATUS_TEXT: Record<InvitationState, string> = {
  sent: 'Secure form sent',
  opened: 'Secure form opened',
  submitted: 'Secure form submitted',
  viewed: 'Secure form viewed by the agent',
  expired: 'Secure form expired',
  cancelled: 'Secure form cancelled',
};

export interface TranscriptOptions {
  /** Who reads this transcript: the visitor sees invitations as <secure-form-invite>. */
  reader: 'visitor' | 'agent';
  /** For the visitor: how to render an invitation. */
  invitation?: (message: Extract<ConversationMessage, { kind: 'invitation' }>, state: InvitationState) => TemplateResult;
}

export function renderTranscript(target: HTMLElement, messages: readonly ConversationMessage[], options: TranscriptOptions): void {
  const states = new Map<string, InvitationState>();
  for (const m of messages) if (m.kind === 'invitation-status') states.set(m.invitationId, m.state);
  const items = messages.map((m) => {
    switch (m.kind) {
      case 'text':
        return html`<li class="from-${m.from}"><span class="author">${m.authorName}</span>${m.text}</li>`;
      case 'invitation': {
        const state = states.get(m.invitationId) ?? 'sent';
        return html`<li class="from-agent">
          ${
            options.reader === 'visitor' && options.invitation
              ? options.invitation(m, state)
              : html`<span class="author">Secure form</span>${localize(m.formTitle)}`
          }
        </li>`;
      }
      case 'invitation-status':
        return m.state === 'sent' ? nothing : html`<li class="from-system">${STATUS_TEXT[m.state]}</li>`;
    }
  });
  render(html`${items}`, target);
  // New lines scroll into view, except while the visitor is in the transcript: a secure form open
  // in it (its `open`), or focus inside it. The form must not move under their pointer or caret as
  // lines arrive. Focus alone is not enough: WebKit does not always tell the page that focus is in
  // the form's cross-origin frame, and a press on "Continue" then landed where the button had been.
  const scroller = target.closest<HTMLElement>('.transcript-log') ?? target;
  const formOpen = [...scroller.querySelectorAll<SecureFormInvite>('secure-form-invite')].some((invite) => invite.open);
  if (!formOpen && !scroller.contains(document.activeElement)) scroller.scrollTop = scroller.scrollHeight;
}
