import { localized, msg, str } from '@lit/localize';
import { CONVERSATION_HEADER, API_PREFIX, openInvitationResponseSchema, type InvitationState } from '@secure-forms/shared/api';
import { toSecureFormsError } from '@secure-forms/shared/errors';
import { FRAME_PROTOCOL, frameToHostSchema, frameUrl, type HostToFrame } from '@secure-forms/shared/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { invitationProblem, type Problem, type ProblemCode } from '../../messages/problems.js';
import styles from './secure-form-invite.styles.js';

/** What the invitation shows while it is on this page. */
type Phase = 'idle' | 'opening' | 'open';

/**
 * Fired when the visitor's answers reached the PCI backend. Carries ids only, never a value.
 */
export class SecureFormSubmittedEvent extends Event {
  static readonly type = 'secure-form-submitted';
  constructor(
    readonly detail: { readonly invitationId: string; readonly submissionId: string },
  ) {
    super(SecureFormSubmittedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the visitor closed the form without sending it. Carries nothing. */
export class SecureFormClosedEvent extends Event {
  static readonly type = 'secure-form-closed';
  constructor() {
    super(SecureFormClosedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * A secure form an agent sent into the chat. Shows the form's title and state, and on "Open
 * secure form" asks the PCI backend for a view key and opens the form in a frame from the PCI
 * origin, inline below the invitation. The brand page never sees a field value: the frame encrypts
 * the answers itself and tells this element only `ready`, `resize`, `submitted`, `closed` or
 * `error`.
 *
 * @summary A secure form invitation inside a chat message.
 *
 * @event secure-form-submitted - {@link SecureFormSubmittedEvent}: the answers were sent;
 *   `detail` holds `invitationId` and `submissionId` only.
 * @event secure-form-closed - {@link SecureFormClosedEvent}: the visitor closed the form unsent.
 *
 * @csspart base - The invitation card.
 * @csspart label - The "Secure form" label above the title.
 * @csspart title - The form's title.
 * @csspart status - What state the form is in; receives focus after the answers are sent.
 * @csspart actions - The row holding the open button.
 * @csspart open-button - The "Open secure form" button.
 * @csspart message - The region that explains a refusal or failure and its next step.
 * @csspart retry-button - The "Try again" button shown when trying again can help.
 * @csspart frame - The iframe holding the form, served from the PCI origin.
 *
 * @cssproperty --secure-form-frame-height - Height of the frame before it reports its own (default 480px).
 * @cssproperty --secure-form-frame-min-height - Smallest height of the frame (default 200px).
 * @cssproperty --secure-form-border-color - Border of the card, the frame and secondary buttons.
 * @cssproperty --secure-form-border-radius - Corner radius of the card, the frame and buttons.
 * @cssproperty --secure-form-background - Background of the card.
 * @cssproperty --secure-form-text-color - Text colour.
 * @cssproperty --secure-form-primary-color - Background of the open button.
 * @cssproperty --secure-form-primary-text-color - Text of the open button.
 * @cssproperty --secure-form-error-color - Edge of the message region.
 * @cssproperty --secure-form-success-color - "Sent securely" text.
 * @cssproperty --secure-form-focus-color - Focus outline.
 * @cssproperty --secure-form-font-family - Font family.
 */
@customElement('secure-form-invite')
@localized()
export class SecureFormInvite extends LitElement {
  static override styles = styles;

  /**
   * The invitation's id (a UUID) from the chat message. Without it the open button reports a
   * problem instead of calling the backend.
   */
  @property({ attribute: 'invitation-id' }) invitationId = '';

  /** The form's title, already localized by the chat. Shown as text, never as HTML. */
  @property({ attribute: 'form-title' }) formTitle = '';

  /**
   * The PCI origin that serves the API and the form frame, e.g. `http://127.0.0.1:8443`. Only its
   * origin is used (a path or trailing slash is ignored); messages from any other origin are
   * ignored, and the view key is posted only to this exact origin.
   */
  @property({ attribute: 'pci-origin' }) pciOrigin = '';

  /** The site (account) id, passed to the frame so the PCI server applies this site's policy. */
  @property({ attribute: 'site-id' }) siteId = '';

  /** BCP 47 language tag for the frame (e.g. `fr-CA`); empty lets the frame use English. */
  @property() locale = '';

  /**
   * What the chat knows of the invitation: `sent`, `opened`, `submitted`, `viewed`, `expired` or
   * `cancelled`. The open button shows for `sent` and `opened` only. Once this element sees the
   * answers sent it shows "Sent securely" whatever this says, until the chat catches up.
   */
  @property() state: InvitationState = 'sent';

  #conversationToken = '';

  /**
   * The visitor's conversation token, sent only in the `Secure-Forms-Conversation` header of the
   * open request. A property, never an attribute: it is not reflected, rendered or logged.
   */
  get conversationToken(): string {
    return this.#conversationToken;
  }
  set conversationToken(token: string) {
    this.#conversationToken = typeof token === 'string' ? token : '';
  }

  @state() private phase: Phase = 'idle';
  @state() private problem: Problem | null = null;
  @state() private submittedHere = false;

  @query('[part="status"]') private statusEl?: HTMLElement;
  @query('[part="open-button"]') private openButton?: HTMLButtonElement;
  @query('[part="retry-button"]') private retryButton?: HTMLButtonElement;

  #iframe: HTMLIFrameElement | null = null;
  /** Held only between the open response and the frame's `ready`, then forgotten. */
  #viewOtk: string | null = null;
  #abort: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeFrame();
    this.#abort?.abort();
  }

  /** The exact origin to talk to, or null when `pci-origin` is not an http(s) URL. */
  get #origin(): string | null {
    try {
      const url = new URL(this.pciOrigin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
    } catch {
      return null;
    }
  }

  get #effectiveState(): InvitationState {
    return this.submittedHere ? 'submitted' : this.state;
  }

  #stateText(): string {
    switch (this.#effectiveState) {
      case 'submitted':
      case 'viewed':
        return msg('Sent securely');
      case 'expired':
        return msg('This form has expired. Ask your agent for a new one if you still need it.');
      case 'cancelled':
        return msg('Your agent cancelled this form.');
      case 'opened':
        return msg('Opened, not sent yet.');
      default:
        return msg('Your agent asked you to fill in this form. Your answers go straight to your agent, not into the chat.');
    }
  }

  get #canOpen(): boolean {
    const s = this.#effectiveState;
    return (s === 'sent' || s === 'opened') && this.phase !== 'open';
  }

  override render() {
    const done = this.#effectiveState === 'submitted' || this.#effectiveState === 'viewed';
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <p part="label" class="label">${msg('Secure form')}</p>
        <p part="title" class="title" id="title">${this.formTitle}</p>
        <p part="status" class="status ${done ? 'status--done' : ''}" tabindex="-1">${this.#stateText()}</p>
        ${this.#canOpen
          ? html`<div part="actions" class="actions">
              <button
                part="open-button"
                class="button"
                type="button"
                aria-describedby="title"
                aria-disabled=${this.phase === 'opening' ? 'true' : 'false'}
                @click=${this.#onOpen}
              >
                ${msg('Open secure form')}
              </button>
            </div>`
          : nothing}
        <div part="message" class="message" role="alert">${this.problem
          ? html`<p>${this.problem.text}</p>${this.problem.retry && this.#canOpen
                ? html`<button part="retry-button" class="button button--secondary" type="button" @click=${this.#onOpen}>
                    ${msg('Try again')}
                  </button>`
                : nothing}`
          : nothing}</div>
        ${this.#iframe ?? nothing}
      </section>
    `;
  }

  #onOpen = async (): Promise<void> => {
    if (this.phase !== 'idle') return;
    const origin = this.#origin;
    if (!origin || !this.invitationId || !this.siteId) {
      this.problem = invitationProblem('INTERNAL');
      return;
    }
    this.phase = 'opening';
    this.problem = null;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    let response: Response;
    try {
      response = await fetch(`${origin}${API_PREFIX}/invitations/${encodeURIComponent(this.invitationId)}/open`, {
        method: 'POST',
        headers: { [CONVERSATION_HEADER]: this.#conversationToken },
        credentials: 'omit',
        cache: 'no-store',
        signal: abort.signal,
      });
    } catch {
      if (!abort.signal.aborted) this.#refuse('NETWORK');
      return;
    }
    const body: unknown = await response.json().catch(() => null);
    if (abort.signal.aborted) return;
    if (!response.ok) {
      this.#refuse(toSecureFormsError(response.status, body).code);
      return;
    }
    const parsed = openInvitationResponseSchema.safeParse(body);
    if (!parsed.success) {
      this.#refuse('INTERNAL');
      return;
    }
    this.#viewOtk = parsed.data.viewOtk;
    this.#openFrame(origin);
  };

  #refuse(code: ProblemCode): void {
    this.phase = 'idle';
    this.problem = invitationProblem(code);
    if (code === 'ALREADY_SUBMITTED') this.submittedHere = true;
    void this.updateComplete.then(() => (this.problem?.retry ? this.retryButton : this.statusEl)?.focus());
  }

  #openFrame(origin: string): void {
    const iframe = document.createElement('iframe');
    iframe.setAttribute('part', 'frame');
    iframe.className = 'frame';
    iframe.title = msg(str`Secure form: ${this.formTitle}`);
    // Scripts, its own origin (for its fetches) and forms; no top navigation, popups or downloads.
    iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
    iframe.referrerPolicy = 'origin';
    iframe.src = frameUrl(origin, {
      siteId: this.siteId,
      hostOrigin: location.origin,
      ...(this.locale ? { locale: this.locale } : {}),
    });
    this.#iframe = iframe;
    window.addEventListener('message', this.#onMessage);
    this.phase = 'open';
  }

  #closeFrame(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#viewOtk = null;
    this.#iframe?.remove();
    this.#iframe = null;
    if (this.phase === 'open') this.phase = 'idle';
  }

  #onMessage = (event: MessageEvent): void => {
    const iframe = this.#iframe;
    const origin = this.#origin;
    if (!iframe || !origin || event.origin !== origin || event.source !== iframe.contentWindow || event.source === null) return;
    const parsed = frameToHostSchema.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'ready': {
        const viewOtk = this.#viewOtk;
        this.#viewOtk = null;
        if (!viewOtk) return;
        const open: HostToFrame = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: this.invitationId, viewOtk };
        iframe.contentWindow?.postMessage(open, origin);
        return;
      }
      case 'resize':
        iframe.style.height = `${Math.ceil(message.height)}px`;
        return;
      case 'submitted':
        this.#closeFrame();
        this.submittedHere = true;
        this.problem = null;
        this.dispatchEvent(new SecureFormSubmittedEvent({ invitationId: this.invitationId, submissionId: message.submissionId }));
        void this.updateComplete.then(() => this.statusEl?.focus());
        return;
      case 'closed':
        this.#closeFrame();
        this.dispatchEvent(new SecureFormClosedEvent());
        void this.updateComplete.then(() => this.openButton?.focus());
        return;
      case 'error':
        this.#closeFrame();
        this.#refuse(message.code);
        return;
    }
  };
}
