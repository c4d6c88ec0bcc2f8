import { msg, str } from '@lit/localize';
import { ERROR_CODES } from '@secure-forms/shared/errors';
import { FRAME_PROTOCOL, frameUrl } from '@secure-forms/shared/frame-url';
import type { InvitationState } from '@secure-forms/shared/vocabulary';
import { directionOf, useLocale } from '../../localization.js';
import { invitationProblem, type Problem, type ProblemCode } from '../../messages/problems.js';
import { isUuid, parseFrameMessage, parseOpenResponse, parseOpensLeft, refusalCode } from './host-messages.js';
import styles from './secure-form-invite.styles.js';

/** What the invitation shows while it is on this page. */
type Phase = 'idle' | 'open';
/** Where the form opens: below the invitation, or in a modal dialog; `auto` picks by width. */
type Display = 'auto' | 'inline' | 'dialog';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
/** Below this width the form opens in a modal dialog over the chat instead of inline. */
const NARROW = '(max-width: 40rem)';
/** How long Close waits for the frame's answer to `close` before closing anyway (a hung frame). */
const CLOSE_ANSWER_MS = 2000;

/** The public properties a page may have set before the element was defined. */
const LAZY_PROPERTIES = ['invitationId', 'formTitle', 'pciOrigin', 'siteId', 'locale', 'state', 'display', 'conversationToken'] as const;

/**
 * Fired when the visitor's answers reached the PCI backend. Carries ids only, never a value.
 */
export class SecureFormSubmittedEvent extends Event {
  static readonly type = 'secure-form-submitted';
  constructor(readonly detail: { readonly invitationId: string; readonly submissionId: string }) {
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

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

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
   * The visitor's conversation token, sent only as the body of the open request. A property, never
   * an attribute: it is not reflected, rendered or logged.
   */
  get conversationToken(): string {
    return this.#conversationToken;
  }
  set conversationToken(token: string) {
    this.#conversationToken = typeof token === 'string' ? token : '';
  }

  #phase: Phase = 'idle';
  #problem: Problem | null = null;
  /** Opens still allowed after the last one, as the backend said; null before the first. */
  #opensLeft: number | null = null;
  /** A refusal that opening again cannot change (no opens left, the chat has ended). */
  #refusedForGood = false;
  #submittedHere = false;
  #iframe: HTMLIFrameElement | null = null;
  /** Held only between the open response and the frame's `ready`, then forgotten. */
  #viewOtk: string | null = null;
  /** The frame said `ready`; it may do so before the open request returns. */
  #frameReady = false;
  #abort: AbortController | null = null;
  /** Set while Close waits for the frame's answer to `close`; closes anyway when it fires. */
  #closeTimer = 0;
  #pending: Promise<void> = Promise.resolve();

  readonly #root: ShadowRoot;
  readonly #base: HTMLElement;
  readonly #label = el('p', { part: 'label', class: 'label' });
  readonly #title = el('p', { part: 'title', class: 'title', id: 'title' });
  /** A polite live region: a change of state (e.g. "Sent securely") is announced where it shows. */
  readonly #status = el('p', { part: 'status', class: 'status', tabindex: '-1', role: 'status' });
  readonly #openButton = el('button', { part: 'open-button', class: 'button', type: 'button', 'aria-describedby': 'title' });
  readonly #actions = el('div', { part: 'actions', class: 'actions' }, this.#openButton);
  /** Not a live region: read where it stands, and focused when it replaces the open button. */
  readonly #opens = el('p', { part: 'opens-left', class: 'status', tabindex: '-1' });
  readonly #messageText = el('p', { part: 'message-text' });
  readonly #retryButton = el('button', { part: 'retry-button', class: 'button button--secondary', type: 'button' });
  readonly #message = el('div', { part: 'message', class: 'message', role: 'alert' });
  readonly #frameContainer = el('div', { part: 'frame-container', class: 'frame-container' });
  readonly #dialogTitle = el('p', { part: 'dialog-title', class: 'dialog-title', id: 'dialog-title' });
  readonly #closeButton = el('button', { part: 'close-button', class: 'button button--secondary', type: 'button' });
  readonly #dialogBody = el('div', { class: 'dialog-body' });
  readonly #dialog = el(
    'dialog',
    { part: 'dialog', class: 'dialog', 'aria-labelledby': 'dialog-title' },
    el('div', { part: 'dialog-header', class: 'dialog-header' }, this.#dialogTitle, this.#closeButton),
    this.#dialogBody,
  );

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    /** @ignore Not a field of this element: custom-elements.json's analyzer takes any assignment in a constructor for one. */
    this.#root.adoptedStyleSheets = [sheet];
    this.#base = el('section', { part: 'base', class: 'base', 'aria-labelledby': 'title' });
    this.#base.append(
      this.#label,
      this.#title,
      this.#status,
      this.#actions,
      this.#opens,
      this.#message,
      this.#frameContainer,
      this.#dialog,
    );
    this.#root.append(this.#base);
    this.#openButton.addEventListener('click', () => void this.#onOpen());
    this.#retryButton.addEventListener('click', () => void this.#onOpen());
    this.#closeButton.addEventListener('click', () => this.#askToClose());
    // Escape closes a modal dialog: treat it as Close.
    this.#dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.#askToClose();
    });
  }

  /** Resolves once the element shows its latest state (and locale). */
  get updateComplete(): Promise<void> {
    return this.#pending;
  }

  connectedCallback(): void {
    // A page may set properties (say `conversationToken`) before the loader's module has run and
    // defined this element: those land as own properties that would hide the accessors. Take them
    // over through the setters (web.dev, custom element best practices: "make properties lazy").
    for (const name of LAZY_PROPERTIES) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        (this as Record<typeof name, unknown>)[name] = value;
      }
    }
    window.addEventListener('lit-localize-status', this.#onLocale);
    this.#applyLocale();
    this.#render();
  }

  disconnectedCallback(): void {
    window.removeEventListener('lit-localize-status', this.#onLocale);
    this.#closeFrame();
    this.#abort?.abort();
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
    this.#base.lang = tag;
    this.#base.dir = directionOf(tag);
    this.#pending = useLocale(tag).then(() => this.#render());
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
    return this.#submittedHere ? 'submitted' : this.state;
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

  /** Whether the form may still be opened (as far as this page knows), open or not. */
  get #openable(): boolean {
    const s = this.#effectiveState;
    return (s === 'sent' || s === 'opened') && this.#opensLeft !== 0 && !this.#refusedForGood;
  }

  get #canOpen(): boolean {
    return this.#openable && this.#phase !== 'open';
  }

  /** What `opens-left` says: the opens left where a limit is known, or that none are left. */
  #opensText(): string {
    const s = this.#effectiveState;
    if (this.#phase === 'open' || this.#refusedForGood || (s !== 'sent' && s !== 'opened') || this.#opensLeft === null) return '';
    if (this.#opensLeft === 0) return msg('You cannot open this form again. Ask your agent in the chat to send you a new one.');
    return this.#opensLeft === 1
      ? msg('You can open this form 1 more time.')
      : msg(str`You can open this form ${this.#opensLeft} more times.`);
  }

  #render(): void {
    const done = this.#effectiveState === 'submitted' || this.#effectiveState === 'viewed';
    this.#label.textContent = msg('Secure form');
    this.#title.textContent = this.formTitle;
    // Only touch the live region when its text changes, so it is announced once.
    const stateText = this.#stateText();
    if (this.#status.textContent !== stateText) this.#status.textContent = stateText;
    this.#status.classList.toggle('status--done', done);
    this.#actions.hidden = !this.#canOpen;
    this.#opens.textContent = this.#opensText();
    this.#opens.hidden = !this.#opens.textContent;
    this.#openButton.textContent = msg('Open secure form');
    this.#retryButton.textContent = msg('Try again');
    this.#closeButton.textContent = msg('Close');
    const problem = this.#problem;
    const children: Node[] = [];
    if (problem) {
      this.#messageText.textContent = problem.text;
      children.push(this.#messageText);
      if (problem.retry && this.#canOpen) children.push(this.#retryButton);
    }
    // Only touch the live region when its content changes, so it is announced once.
    if (children.length !== this.#message.childNodes.length || children.some((c, i) => this.#message.childNodes[i] !== c)) {
      this.#message.replaceChildren(...children);
    }
    this.#message.classList.toggle('message--empty', !problem);
    if (this.#iframe) this.#iframe.title = msg(str`Secure form: ${this.formTitle}`);
  }

  #focusLater(target: () => HTMLElement | null): void {
    this.#pending = this.#pending.then(() => target()?.focus());
  }

  async #onOpen(): Promise<void> {
    if (this.#phase !== 'idle') return;
    const origin = this.#origin;
    if (!origin || !isUuid(this.invitationId) || !this.siteId) {
      this.#problem = invitationProblem('INTERNAL');
      this.#render();
      return;
    }
    this.#problem = null;
    // The frame opens and loads while the open request is on its way (it says "Loading the secure
    // form…" meanwhile): its page, script and `ready` do not wait for the round trip. The view key
    // still reaches it only by postMessage to the PCI origin, after both the key and `ready` are in.
    this.#openFrame(origin);
    // Closing the frame (or the dialog) before the answer aborts the request.
    const abort = (this.#abort = new AbortController());
    let response: Response;
    try {
      // The token is the whole text/plain body, and no custom header is sent: a CORS simple
      // request, so the browser does not wait for a preflight round trip first (every invitation
      // has its own URL, so a cached preflight would never apply). The server still checks the
      // Origin against the site's brand origins before opening anything.
      response = await fetch(`${origin}/v1/invitations/${encodeURIComponent(this.invitationId)}/open`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: this.#conversationToken,
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
      this.#refuse(refusalCode(body, KNOWN_CODES));
      return;
    }
    this.#opensLeft = parseOpensLeft(body);
    const viewOtk = parseOpenResponse(body);
    if (!viewOtk) {
      this.#refuse('INTERNAL');
      return;
    }
    this.#viewOtk = viewOtk;
    this.#sendOpen();
  }

  #refuse(code: ProblemCode): void {
    this.#closeFrame();
    this.#phase = 'idle';
    this.#problem = invitationProblem(code);
    if (code === 'ALREADY_SUBMITTED') this.#submittedHere = true;
    if (code === 'OPEN_LIMIT_REACHED' || code === 'CONVERSATION_CLOSED') this.#refusedForGood = true;
    this.#render();
    this.#focusLater(() => (this.#problem?.retry && this.#canOpen ? this.#retryButton : this.#status));
  }

  #useDialog(): boolean {
    const display = this.display;
    if (display !== 'auto') return display === 'dialog';
    return typeof matchMedia === 'function' && matchMedia(NARROW).matches;
  }

  /**
   * Creates the frame where it shows (inline, or in the modal dialog on narrow screens) and moves
   * focus into it at once, before its page loads.
   */
  #openFrame(origin: string): void {
    this.#closeFrame();
    const iframe = document.createElement('iframe');
    iframe.setAttribute('part', 'frame');
    iframe.className = 'frame';
    // Scripts, its own origin (for its fetches) and forms; no top navigation, popups or downloads.
    iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
    iframe.referrerPolicy = 'origin';
    // `self.origin`, not `location.origin`: a chat rendered in an about:blank or srcdoc iframe (as
    // many chat widgets are) has the brand's origin, but its URL's origin is "null".
    const hostOrigin = typeof self.origin === 'string' && self.origin !== 'null' ? self.origin : location.origin;
    iframe.src = frameUrl(origin, { siteId: this.siteId, hostOrigin, locale: this.#localeTag() });
    iframe.title = msg(str`Secure form: ${this.formTitle}`);
    this.#iframe = iframe;
    this.#frameReady = false;
    window.addEventListener('message', this.#onMessage);
    this.#phase = 'open';
    this.#render();
    // Accessibility workaround: focus goes to the frame before its cross-origin page loads, as the
    // frame is attached, and again into its window once the page says `ready` (see #onMessage).
    // Focused only after that page had loaded, Chromium sometimes kept delivering keys to the
    // host: Tab from the frame left the page and typed digits were lost (2 of 12 runs). Focused
    // while still about:blank, the focus carried over after a key press (12 of 12) but never after
    // a pointer click (0 of 4): the first Tab went to the host's next field.
    if (this.#useDialog()) {
      this.#dialogTitle.textContent = this.formTitle;
      this.#dialogBody.append(iframe);
      this.#dialog.showModal();
      // Focus goes into the form itself, not the dialog's Close button.
      iframe.focus();
    } else {
      this.#frameContainer.append(iframe);
      // The open button just hid itself: move focus into the form rather than lose it to <body>.
      iframe.focus();
    }
  }

  /** Posts `open` with the view key, once, when both the key and the frame's `ready` are in. */
  #sendOpen(): void {
    const iframe = this.#iframe;
    const origin = this.#origin;
    const viewOtk = this.#viewOtk;
    if (!iframe || !origin || !viewOtk || !this.#frameReady) return;
    this.#viewOtk = null;
    iframe.contentWindow?.postMessage({ protocol: FRAME_PROTOCOL, type: 'open', invitationId: this.invitationId, viewOtk }, origin);
  }

  #closeFrame(): void {
    this.#abort?.abort();
    this.#abort = null;
    window.removeEventListener('message', this.#onMessage);
    clearTimeout(this.#closeTimer);
    this.#closeTimer = 0;
    this.#viewOtk = null;
    this.#frameReady = false;
    this.#iframe?.remove();
    this.#iframe = null;
    if (this.#dialog.open) this.#dialog.close();
    this.#dialogTitle.textContent = '';
    if (this.#phase === 'open') this.#phase = 'idle';
  }

  /**
   * The dialog's Close or Escape on its host side. A ready frame is asked first (`close`): only it
   * knows whether answers would be lost, and it answers `escape` (close now) or `confirming` (it
   * asks the visitor). A frame that is not ready has nothing typed, and one that does not answer
   * in time is closed anyway: Close must always work.
   */
  #askToClose(): void {
    const iframe = this.#iframe;
    const origin = this.#origin;
    if (!iframe?.contentWindow || !origin || !this.#frameReady) {
      this.#onDialogClose();
      return;
    }
    iframe.contentWindow.postMessage({ protocol: FRAME_PROTOCOL, type: 'close' }, origin);
    if (!this.#closeTimer) this.#closeTimer = window.setTimeout(() => this.#onDialogClose(), CLOSE_ANSWER_MS);
  }

  #onDialogClose(): void {
    if (!this.#iframe) {
      if (this.#dialog.open) this.#dialog.close();
      return;
    }
    this.#closeFrame();
    this.#render();
    this.dispatchEvent(new SecureFormClosedEvent());
    this.#focusLater(() => (this.#canOpen ? this.#openButton : this.#opens));
  }

  #onMessage = (event: MessageEvent): void => {
    const iframe = this.#iframe;
    const origin = this.#origin;
    if (!iframe || !origin || event.origin !== origin || event.source !== iframe.contentWindow || event.source === null) return;
    const message = parseFrameMessage(event.data, KNOWN_CODES);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        // Only the first `ready` counts: a frame that reloads gets no second key.
        if (this.#frameReady) return;
        this.#frameReady = true;
        // The frame's page is there: give its window the focus the iframe element holds, so that
        // keys go into the form whatever opened it (see #openFrame). Not if focus moved elsewhere.
        if (this.#root.activeElement === iframe) iframe.contentWindow?.focus();
        this.#sendOpen();
        return;
      case 'resize':
        // Inline only: in the dialog the stylesheet makes the frame fill the dialog (see styles).
        iframe.style.height = `${Math.ceil(message.height)}px`;
        return;
      case 'submitted':
        this.#closeFrame();
        this.#submittedHere = true;
        this.#problem = null;
        this.#render();
        this.dispatchEvent(new SecureFormSubmittedEvent({ invitationId: this.invitationId, submissionId: message.submissionId }));
        this.#focusLater(() => this.#status);
        return;
      case 'escape':
        // Escape inside the frame: close the modal dialog as Escape outside it would. Inline, the
        // form stays: Escape is no reason to throw away what the visitor typed in the chat.
        if (this.#dialog.open) this.#onDialogClose();
        return;
      case 'confirming':
        // The frame asks "Close this form?" in answer to Close: keys pressed on the host's Close
        // button stay on the host page, so focus moves into the frame (its element and its window,
        // as on `ready`), where the frame puts it on "Keep filling in". Only in answer to a Close
        // still waiting (never at the frame's wish).
        if (!this.#closeTimer) return;
        clearTimeout(this.#closeTimer);
        this.#closeTimer = 0;
        iframe.focus();
        iframe.contentWindow?.focus();
        return;
      case 'closed':
        this.#closeFrame();
        this.#render();
        this.dispatchEvent(new SecureFormClosedEvent());
        this.#focusLater(() => (this.#canOpen ? this.#openButton : this.#opens));
        return;
      case 'error':
        this.#closeFrame();
        this.#refuse(message.code);
        return;
    }
  };
}
