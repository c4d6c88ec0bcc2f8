import { msg, str } from '@lit/localize';
import type { InvitationState } from '@secure-forms/shared/vocabulary';
import { directionOf, languageAttribute, useLocale } from '../../localization.js';
import { invitationProblem, type Problem, type ProblemCode } from '../../messages/problems.js';
import type { FrameOutcome } from './frame-channel.js';
import { formFrame } from './form-frame.js';
import { isUuid } from './host-messages.js';
import { invitationCard } from './invitation-card.js';
import { shownState } from './invitation-state.js';
import { inviteDialog, type Display } from './invite-dialog.js';
import { takeOverEarlyProperties } from './lazy-properties.js';
import { pciOriginOf } from './pci-origin.js';
import { mayOpen, opensLeftText } from './opens-left.js';
import { SecureFormClosedEvent, SecureFormSubmittedEvent } from './secure-form-invite.events.js';
import styles from './secure-form-invite.styles.js';

export * from './secure-form-invite.events.js';

/** The public properties a page may have set before the element was defined. */
const LAZY_PROPERTIES = ['invitationId', 'formTitle', 'pciOrigin', 'siteId', 'locale', 'state', 'display', 'conversationToken'] as const;

/**
 * A secure form an agent sent into the chat. Shows the form's title and state, and on "Open
 * secure form" asks the PCI backend for a view key and opens the form in a frame from the PCI
 * origin: inline below the invitation, or on narrow screens in a modal dialog (native `<dialog>`
 * with `showModal()`: focus moves into the form, stays in the dialog, and returns to the
 * invitation on close). The brand page never sees a field value: the frame encrypts the answers
 * itself and tells this element only `ready`, `resize`, `submitted`, `closed`, `escape`,
 * `confirming` or `error`. The dialog's Close (and Escape on the host side) asks the frame first
 * (`close`): it cannot see whether answers are typed, and the frame asks the visitor if they are.
 *
 * A plain custom element (no framework) so that the one script a brand adds stays small.
 *
 * @summary A secure form invitation inside a chat message.
 *
 * @event {SecureFormSubmittedEvent} secure-form-submitted - The answers reached the PCI backend. Detail:
 *   `{ invitationId, submissionId }`, ids only, never a value. Bubbles and is composed (crosses shadow roots).
 * @event {SecureFormClosedEvent} secure-form-closed - The visitor closed the form without sending it. No detail.
 *   Bubbles and is composed (crosses shadow roots).
 *
 * @csspart base - The invitation card.
 * @csspart label - The "Secure form" label above the title.
 * @csspart title - The form's title.
 * @csspart status - What state the form is in (a polite live region); receives focus after the answers are sent.
 * @csspart actions - The row holding the open button.
 * @csspart opens-left - How many more times the form can be opened, or that it cannot be opened again.
 * @csspart open-button - The "Open secure form" button.
 * @csspart message - The live region that explains a refusal or failure and its next step.
 * @csspart message-text - The explanation inside it.
 * @csspart retry-button - The "Try again" button shown when trying again can help.
 * @csspart frame-container - Holds the inline frame.
 * @csspart frame - The iframe holding the form, served from the PCI origin.
 * @csspart dialog - The modal dialog the form opens in on narrow screens.
 * @csspart dialog-header - The dialog's top bar.
 * @csspart dialog-title - The form's title in the dialog's top bar.
 * @csspart close-button - The dialog's "Close" button.
 *
 * @cssproperty [--secure-form-frame-height=480px] - Height of the frame before it reports its own.
 * @cssproperty [--secure-form-frame-min-height=200px] - Smallest height of the frame.
 * @cssproperty [--secure-form-border-color=#505a5f / #a0a6a9] - Border of the card, the frame and secondary buttons.
 * @cssproperty [--secure-form-border-radius=4px] - Corner radius of the card, the frame and buttons.
 * @cssproperty [--secure-form-background=#ffffff / #1b1b1b] - Background of the card and the dialog.
 * @cssproperty [--secure-form-text-color=#0b0c0c / #f3f2f1] - Text colour.
 * @cssproperty [--secure-form-secondary-text-color=#484949 / #c8c8c8] - The "Secure form" label.
 * @cssproperty [--secure-form-primary-color=#00703c] - Background of the open button.
 * @cssproperty [--secure-form-primary-hover-color=#005a30] - Background of the open button on hover.
 * @cssproperty [--secure-form-primary-text-color=#ffffff] - Text of the open button.
 * @cssproperty [--secure-form-secondary-color=#f3f2f1 / #383838] - Background of secondary buttons.
 * @cssproperty [--secure-form-error-color=#d4351c / #ff8a78] - Edge of the message region.
 * @cssproperty [--secure-form-success-color=#00703c / #5fd38d] - "Sent securely" text.
 * @cssproperty [--secure-form-focus-color=#1d70b8 / #ffdd00] - Focus outline.
 * @cssproperty [--secure-form-font-family=system-ui, …] - Font family.
 * @cssproperty [--secure-form-font-size=1rem] - Base font size.
 * @cssproperty [--secure-form-backdrop=rgb(0 0 0 / 0.6)] - The dialog's backdrop.
 */
export class SecureFormInvite extends HTMLElement {
  static readonly observedAttributes = ['invitation-id', 'form-title', 'pci-origin', 'site-id', 'locale', 'state', 'display'];

  /**
   * The invitation's id (a UUID) from the chat message.
   * @attr invitation-id
   */
  get invitationId(): string {
    return this.getAttribute('invitation-id') ?? '';
  }
  set invitationId(v: string) {
    this.setAttribute('invitation-id', v);
  }

  /**
   * The form's title, already localized by the chat. Shown as text, never as HTML.
   * @attr form-title
   */
  get formTitle(): string {
    return this.getAttribute('form-title') ?? '';
  }
  set formTitle(v: string) {
    this.setAttribute('form-title', v);
  }

  /**
   * The PCI origin that serves the API and the form frame, e.g. `http://127.0.0.1:8443`. Only its
   * origin is used; messages from any other origin are ignored, and the view key is posted only
   * to this exact origin.
   * @attr pci-origin
   */
  get pciOrigin(): string {
    return this.getAttribute('pci-origin') ?? '';
  }
  set pciOrigin(v: string) {
    this.setAttribute('pci-origin', v);
  }

  /**
   * The site (account) id, passed to the frame.
   * @attr site-id
   */
  get siteId(): string {
    return this.getAttribute('site-id') ?? '';
  }
  set siteId(v: string) {
    this.setAttribute('site-id', v);
  }

  /**
   * BCP 47 language tag for the invitation and the form (e.g. `fr-CA`); empty uses the browser's
   * language (`navigator.language`). English, Spanish, French, German and Arabic are built in.
   * @attr locale
   */
  get locale(): string {
    return this.getAttribute('locale') ?? '';
  }
  set locale(v: string) {
    this.setAttribute('locale', v);
  }

  /**
   * What the chat knows of the invitation: `sent` (the default), `opened`, `submitted`, `viewed`,
   * `expired` or `cancelled`. The open button shows for `sent` and `opened` only.
   * @attr state
   */
  get state(): InvitationState {
    return (this.getAttribute('state') as InvitationState | null) ?? 'sent';
  }
  set state(v: InvitationState) {
    this.setAttribute('state', v);
  }

  /**
   * Where the form opens: `auto` (default) is a modal dialog below 40rem wide, else inline.
   * @attr display
   */
  get display(): Display {
    const d = this.getAttribute('display');
    return d === 'inline' || d === 'dialog' ? d : 'auto';
  }
  set display(v: Display) {
    this.setAttribute('display', v);
  }

  #conversationToken = '';

  /**
   * The visitor's conversation token, posted only to the form's frame (its exact PCI origin), which
   * sends it only in a header of its one request to that origin. A property, never an attribute: it
   * is not reflected, rendered or logged.
   */
  get conversationToken(): string {
    return this.#conversationToken;
  }
  set conversationToken(token: string) {
    this.#conversationToken = typeof token === 'string' ? token : '';
  }

  #problem: Problem | null = null;
  /** Opens still allowed after the last one, as the backend said; null before the first. */
  #opensLeft: number | null = null;
  /** A refusal that opening again cannot change (no opens left, the chat has ended). */
  #refusedForGood = false;
  #submittedHere = false;
  #pending: Promise<void> = Promise.resolve();

  readonly #card = invitationCard(() => this.#onOpen());
  readonly #dialog = inviteDialog(() => this.#askToClose());
  /** The form's frame and its channel while open, the warm-up page while it can be opened (form-frame.ts). */
  readonly #frame = formFrame(
    this,
    this.#dialog,
    this.#card.frameContainer,
    (message) => this.#onFrame(message),
    () => this.#render(),
  );

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    /** @ignore Not a field of this element: custom-elements.json's analyzer takes any assignment in a constructor for one. */
    root.adoptedStyleSheets = [sheet];
    this.#card.base.append(this.#dialog.dialog);
    root.append(this.#card.base);
  }

  /**
   * Whether the form is open (its frame shown, inline or in the dialog), from "Open secure form" until
   * it is sent, closed or refused. A chat that scrolls itself as lines arrive should not while a form
   * is open: the form would move under the visitor's pointer. Read-only; not an attribute.
   */
  get open(): boolean {
    return this.#frame.channel !== null;
  }

  /** Resolves once the element shows its latest state (and locale). */
  get updateComplete(): Promise<void> {
    return this.#pending;
  }

  connectedCallback(): void {
    takeOverEarlyProperties(this, LAZY_PROPERTIES);
    window.addEventListener('lit-localize-status', this.#onLocale);
    this.#applyLocale();
    this.#render();
  }

  disconnectedCallback(): void {
    window.removeEventListener('lit-localize-status', this.#onLocale);
    this.#frame.close();
    this.#frame.warm(false);
  }

  attributeChangedCallback(name: string): void {
    if (name === 'locale') this.#applyLocale();
    this.#render();
  }

  #onLocale = (event: Event): void => {
    if ((event as CustomEvent<{ status: string }>).detail?.status === 'ready') this.#render();
  };

  #localeTag(): string {
    return this.locale || (typeof navigator !== 'undefined' ? navigator.language : '') || 'en';
  }

  #applyLocale(): void {
    const tag = this.#localeTag();
    this.#card.base.lang = languageAttribute(tag);
    this.#card.base.dir = directionOf(tag);
    this.#pending = useLocale(tag).then(() => this.#render());
  }

  /** Whether the form can be opened now: it may still be opened, and is not open. */
  get #canOpen(): boolean {
    return mayOpen(shownState(this.state, this.#submittedHere), this.#opensLeft, this.#refusedForGood) && !this.#frame.channel;
  }

  #render(): void {
    const state = shownState(this.state, this.#submittedHere);
    const channel = this.#frame.channel;
    const opensLeft = opensLeftText(state, this.#opensLeft, this.#refusedForGood, !!channel);
    this.#card.render(this.formTitle, state, this.#canOpen, opensLeft, this.#problem);
    this.#dialog.render();
    if (channel) channel.iframe.title = msg(str`Secure form: ${this.formTitle}`);
    else this.#frame.warm(this.#canOpen && this.isConnected);
  }

  /** Focuses what `target` picks once the render queue (a locale loading) is done, from what then shows. */
  #focusLater(target: () => HTMLElement | null): void {
    this.#pending = this.#pending.then(() => target()?.focus());
  }

  #onOpen(): void {
    if (this.#frame.channel) return;
    const origin = pciOriginOf(this.pciOrigin);
    if (!origin || !isUuid(this.invitationId) || !this.siteId) {
      this.#problem = invitationProblem('INTERNAL');
      this.#render();
      return;
    }
    this.#problem = null;
    // The frame opens the invitation itself: at its `ready` it gets `open` with the visitor's token
    // and asks its own origin for the form in one request, so the form is one round trip away from
    // the click, not two (the host's open request, then the frame's view request). It says how
    // many opens are left (`opened`), or why it cannot open (`error`, a refusal's code).
    this.#frame.open(origin, this.#localeTag());
  }

  #refuse(code: ProblemCode): void {
    this.#frame.close();
    this.#problem = invitationProblem(code);
    if (code === 'ALREADY_SUBMITTED') this.#submittedHere = true;
    if (code === 'OPEN_LIMIT_REACHED' || code === 'CONVERSATION_CLOSED') this.#refusedForGood = true;
    this.#render();
    this.#focusLater(() => (this.#problem?.retry && this.#canOpen ? this.#card.retryButton : this.#card.status));
  }

  /** The dialog's Close or Escape on its host side: the frame, if it can, is asked first. */
  #askToClose(): void {
    const channel = this.#frame.channel;
    if (channel) channel.ask(() => this.#onClosed());
    else this.#onClosed();
  }

  /** The form closed unsent (the frame said so, or the dialog closed): focus returns to the card. */
  #onClosed(): void {
    if (!this.#frame.channel) return this.#dialog.close();
    this.#frame.close();
    this.#render();
    this.dispatchEvent(new SecureFormClosedEvent());
    this.#focusLater(() => (this.#canOpen ? this.#card.openButton : this.#card.opens));
  }

  #onFrame(message: FrameOutcome): void {
    switch (message.type) {
      case 'opened':
        this.#opensLeft = message.opensLeft;
        return;
      case 'submitted':
        this.#frame.close();
        this.#submittedHere = true;
        this.#problem = null;
        this.#render();
        this.dispatchEvent(new SecureFormSubmittedEvent({ invitationId: this.invitationId, submissionId: message.submissionId }));
        this.#focusLater(() => this.#card.status);
        return;
      case 'escape':
        // Escape inside the frame: close the modal dialog as Escape outside it would. Inline, the
        // form stays: Escape is no reason to throw away what the visitor typed in the chat.
        if (this.#dialog.dialog.open) this.#onClosed();
        return;
      case 'closed':
        this.#onClosed();
        return;
      case 'error':
        this.#refuse(message.code);
        return;
    }
  }
}
