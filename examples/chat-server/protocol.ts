/**
 * What the example chat server and its pages share: the chat's own lines and conversations (not
 * Secure Forms' protocol: this is the brand's chat), the status line each webhook relays, and the
 * pages' Content Security Policy.
 */
import type { InvitationState, WebhookEvent } from '@secure-forms/shared';

/** One line of our chat: the visitor's, the agent's, or a status line relayed from a webhook. */
export interface ChatLine {
  id: string;
  from: 'visitor' | 'agent' | 'system';
  text: string;
  at: string;
}

/** A conversation as our agent's workspace lists it. */
export interface ChatConversation {
  id: string;
  visitorName: string;
  /** The id Secure Forms gave it at registration: the agent panel's `conversation-id`. */
  secureFormsConversationId: string;
}

/** What the chat says when a webhook reports that a secure form entered a state. */
export const STATUS_LINES: Record<InvitationState, string> = {
  sent: 'The agent sent a secure form.',
  opened: 'The secure form was opened.',
  submitted: 'The answers were sent securely.',
  viewed: 'The agent has read the answers.',
  expired: 'The secure form expired.',
  cancelled: 'The secure form was withdrawn.',
};

/** The pages that run a chat library needing the sanitizing Trusted Types default policy. */
export const SANITIZED_PAGES = ['/deep-chat', '/chatscope'];

/**
 * The pages' policy, as strict as the demo brand page's: scripts and styles from this origin
 * only, no inline script or style, calls to this origin and the PCI API, frames from the PCI
 * origin only, Trusted Types required with Lit's `lit-html` policy (the invite, the panel). With
 * `sanitizer`, also `default` and `dompurify`: the sanitizing default policy deep-chat and
 * chatscope need (examples/pages/src/sanitizing-policy.ts says why). The agent workspace, which
 * shows card data, never allows a default policy.
 */
export function brandPageCsp(pciOrigin: string, { sanitizer }: { sanitizer: boolean }) {
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'", pciOrigin],
    frameSrc: [pciOrigin],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    objectSrc: ["'none'"],
    requireTrustedTypesFor: ["'script'"],
    trustedTypes: sanitizer ? ['lit-html', 'default', 'dompurify'] : ['lit-html'],
  };
}

/** What the chat says when a webhook reports a change of the conversation itself. */
export const CONVERSATION_LINES: Record<Extract<WebhookEvent['type'], `conversation.${string}`>, string> = {
  'conversation.assigned': 'An agent joined the chat.',
  'conversation.transferred': 'Your chat was passed to another agent.',
  'conversation.closed': 'The chat was closed.',
};

/** The status line a verified webhook relays into the chat. */
export function statusLine(event: WebhookEvent): string {
  return event.type.startsWith('conversation.')
    ? CONVERSATION_LINES[event.type as keyof typeof CONVERSATION_LINES]
    : STATUS_LINES[event.data.state as InvitationState];
}
