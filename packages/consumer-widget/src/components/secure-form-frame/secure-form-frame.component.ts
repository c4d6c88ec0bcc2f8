import { localized, msg, str } from '@lit/localize';
// Types only from the API and protocol modules: their zod schemas stay out of the frame. Its one
// untrusted input, the host's message, is checked by hand (host-messages.ts); the API's answers
// come from this origin's backend, which validated them, and the recipient keys are checked
// strictly where they are used (seal.ts).
// For the same reason its three requests call fetch themselves instead of shared's `requestJson`,
// which reads refusals with zod (`toSecureFormsError`): importing it adds 5.0 kB min+gzip to the
// frame (29.8 to 34.8 kB with the heaviest locale, over its 30 kB budget; `npm run size` after
// `npm run build`). Refusals are read by hand (`refusalCode`).
import { API_PREFIX, otkAuthorization, type ExtendResponse, type SubmitResponse, type ViewFormResponse } from '@secure-forms/shared/api';
import type { Answers } from '@secure-forms/shared/envelope';
import { ERROR_CODES } from '@secure-forms/shared/errors';
import { SITE_ID_PATTERN } from '@secure-forms/shared/formats';
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import type { FrameToHost } from '@secure-forms/shared/protocol';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { inLanguage } from '../../messages/language.js';
import { frameProblem, type Problem, type ProblemCode } from '../../messages/problems.js';
import { bareOrigin } from '../../frame/origin.js';
import { requestView, type EarlyOpen } from '../../frame/view-request.js';
import { parseHostMessage, refusalCode, type OpenMessage } from '../secure-form-invite/host-messages.js';
import type { SecureForm } from '../secure-form/secure-form.component.js';
import '../secure-form/secure-form.js';
import styles from './secure-form-frame.styles.js';

type Phase = 'waiting' | 'loading' | 'form' | 'done' | 'closed' | 'error';
type View = Omit<ViewFormResponse, 'submitOtk' | 'submitDeadline'>;

/** The visitor is warned this long before the submit deadline (WCAG 2.2.1 asks for at least 20 s). */
export const WARN_BEFORE_MS = 60_000;

/** Off by a DOM rounding at most; the protocol caps heights at 10 000 px. */
const MAX_HEIGHT = 10_000;

/**
 * The sealing code (jose and the envelope format, about a quarter of the frame's script) is
 * loaded apart, after the form shows: it is not needed to show the first field, and on a slow
 * connection it would otherwise hold the form back. A failed load is forgotten, so sending again
 * loads it again.
 */
let sealing: Promise<typeof import('../../frame/seal.js')> | undefined;
function loadSealing(): Promise<typeof import('../../frame/seal.js')> {
  sealing ??= import('../../frame/seal.js').catch((error: unknown) => {
    sealing = undefined;
    throw error;
  });
  return sealing;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** A JSON object from this origin's API, or null (the fields the frame uses are read where used). */
function object(body: unknown): Record<string, unknown> | null {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

/**
 * The form frame's whole page, on the PCI origin: says `ready` to the host page, takes the one
 * `open` message (exact origin, from the parent window, once), redeems the view key for the form,
 * renders `<secure-form>`, seals the answers in this browser and submits them with the submit key.
 * Takes the host's `close` (its dialog's Close) for its whole life, from the same origin and window.
 * Tells the host only `ready`, `resize`, `submitted`, `closed`, `escape`, `confirming` and `error`,
 * never a value.
 *
 * @summary The page inside the secure form frame.
 *
 * @csspart base - The page content.
 * @csspart title - The form's title.
 * @csspart description - The form's description.
 * @csspart deadline - How long is left to send the form.
 * @csspart problem - Why something failed and what to do next.
 * @csspart retry-button - "Try again".
 * @csspart close-button - "Close".
 * @csspart form - The `<secure-form>` element.
 * @csspart confirmation - The "Sent securely" confirmation.
 * @csspart loading - The loading status.
 * @csspart time-warning - The warning shown before the time to send runs out, with the seconds left and the extend button.
 * @csspart time-alert - A visually hidden live region that announces the warning once, and again at 30 and 10 seconds.
 * @csspart extend-button - "Give me more time".
 * @csspart status - A visually hidden live region announcing changes such as added time.
 * @csspart actions - A row of buttons.
 * @csspart confirm-close - The "Close this form?" question Escape or the host's Close asks when answers would be lost.
 * @csspart keep-button - Its "Keep filling in".
 * @csspart discard-button - Its "Close and delete my answers".
 *
 * @cssproperty --secure-form-error-color - Edge of the problem box.
 * @cssproperty --secure-form-warning-color - Text and edge of the time warning.
 * @cssproperty --secure-form-warning-background - Background of the time warning.
 * @cssproperty --secure-form-secondary-text-color - The time left.
 * @cssproperty --secure-form-success-color - Border of the confirmation.
 */
@localized()
export class SecureFormFrame extends LitElement {
  static override styles = styles;

  /**
   * The host page's origin, from the frame URL's `host`. Every message goes only to this origin
   * and only messages from it (and from the parent window) are read. Not a bare origin (a path,
   * another scheme) means the frame refuses to start.
   */
  @property({ attribute: 'host-origin' }) hostOrigin = '';

  /** The site id from the frame URL's `site`; the form loaded must belong to this site. */
  @property({ attribute: 'site-id' }) siteId = '';

  /** BCP 47 tag for the form's labels and hints; English when empty or untranslated. */
  @property() locale = 'en';

  /**
   * Set by the frame page before this element connects: its first script already said `ready`,
   * takes the host's `open` and starts the view request (`frame/ready.ts`). Without it (as in
   * component tests) the element does all of that itself.
   */
  early: Promise<EarlyOpen> | null = null;

  @state() private phase: Phase = 'waiting';
  @state() private problem: Problem | null = null;
  @state() private view: View | null = null;
  @state() private now = Date.now();
  @state() private extending = false;
  /** Escape or the host's Close came with answers typed: the frame asks before closing (see #askToClose). */
  @state() private confirmingClose = false;
  /** Announced politely in the status region (e.g. that more time was added). */
  @state() private announcement = '';

  /** As `@query('secure-form')`, without pulling that decorator into the frame bundle. */
  private get formEl(): SecureForm | null {
    return this.renderRoot?.querySelector('secure-form') ?? null;
  }

  /** Held from `open` until the form loads, so a failed connection can be retried. */
  #pendingOpen: OpenMessage | null = null;
  #submitOtk: string | null = null;
  #deadline = 0;
  #timer = 0;
  /** The host's `open` was taken (here or by the frame page's first script): no second one is. */
  #openTaken = false;
  #resizeObserver: ResizeObserver | null = null;
  #lastHeight = -1;

  /** `hostOrigin` when it is a bare http(s) origin, else null. */
  get #host(): string | null {
    return bareOrigin(this.hostOrigin);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#host || !SITE_ID_PATTERN.test(this.siteId)) {
      this.phase = 'error';
      this.problem = { code: 'ORIGIN_NOT_ALLOWED', text: msg('This form can only be opened from the chat it was sent to.'), retry: false };
      return;
    }
    window.addEventListener('keydown', this.#onKeydown);
    this.#resizeObserver = new ResizeObserver(() => this.#postHeight());
    this.#resizeObserver.observe(document.documentElement);
    this.#timer = window.setInterval(() => this.#tick(), 1000);
    // For the frame's whole life: the host's `close` may come at any time; `open` only once.
    window.addEventListener('message', this.#onMessage);
    if (this.early) {
      // The frame page's first script takes `open` (frame/ready.ts); this element never does then.
      this.#openTaken = true;
      void this.early.then(({ open, view }) => this.#takeOpen(open, view));
      return;
    }
    this.#post({ protocol: FRAME_PROTOCOL, type: 'ready' });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.#onMessage);
    window.removeEventListener('keydown', this.#onKeydown);
    this.#resizeObserver?.disconnect();
    window.clearInterval(this.#timer);
  }

  /**
   * Swap in a fresh submit key and deadline (the extension flow trades the old key for a new one).
   * The key stays in this element's memory only.
   */
  updateSubmitOtk(submitOtk: string, submitDeadline: string, extensionsLeft?: number): void {
    this.#submitOtk = submitOtk;
    this.#deadline = Date.parse(submitDeadline);
    if (this.view && extensionsLeft !== undefined) this.view = { ...this.view, extensionsLeft };
    this.now = Date.now();
  }

  #post(message: FrameToHost): void {
    const host = this.#host;
    if (host) window.parent.postMessage(message, host);
  }

  #postHeight(): void {
    const height = Math.min(MAX_HEIGHT, Math.ceil(document.documentElement.getBoundingClientRect().height));
    if (height === this.#lastHeight) return;
    this.#lastHeight = height;
    this.#post({ protocol: FRAME_PROTOCOL, type: 'resize', height });
  }

  /**
   * Escape goes to the host, which closes its modal dialog: key events inside a cross-origin frame
   * never reach the host page's `<dialog>`. Not while an IME composes (Escape cancels the
   * composition there) or when something in the form already handled the key. With answers typed,
   * the frame asks first (closing deletes them, and opening again uses one of the form's opens);
   * Escape again answers "Keep filling in", as it would dismiss any dialog.
   */
  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented) return;
    if (this.confirmingClose) this.#keepFilling();
    else if (!this.#askToClose()) this.#post({ protocol: FRAME_PROTOCOL, type: 'escape' });
  };

  /**
   * With answers typed, shows "Close this form?" with "Keep filling in" focused, and says true;
   * with nothing to lose, says false (the caller lets the host close). `then` runs once the
   * question has focus, so the host moves focus into the frame only when there is a place for it.
   */
  #askToClose(then?: () => void): boolean {
    if (this.phase !== 'form' || !this.formEl?.hasAnswers) return false;
    if (!this.confirmingClose) this.#focusInField = this.formEl.shadowRoot?.activeElement as HTMLElement | null;
    this.confirmingClose = true;
    void this.updateComplete.then(() => {
      const focusKeep = () => this.renderRoot.querySelector<HTMLElement>('[part~="keep-button"]')?.focus();
      focusKeep();
      // Accessibility workaround: asked by the host's Close, the frame's window gets focus only
      // when the host moves it in (on `confirming`), and Chromium then blurs the button focused
      // before (the frame's body had focus; document.hasFocus() said true all along, so it cannot
      // tell). Focus "Keep filling in" again when the window gets focus while the question shows.
      window.addEventListener('focus', () => this.confirmingClose && focusKeep(), { once: true });
      then?.();
    });
    return true;
  }

  /** The field that had focus when Escape asked, to go back to. */
  #focusInField: HTMLElement | null = null;

  #keepFilling = (): void => {
    this.confirmingClose = false;
    const field = this.#focusInField;
    this.#focusInField = null;
    void this.updateComplete.then(() => (field?.isConnected ? field.focus() : this.formEl?.focusWhereLeftOff()));
  };

  #onMessage = (event: MessageEvent): void => {
    if (event.origin !== this.#host || event.source !== window.parent) return;
    const message = parseHostMessage(event.data);
    if (message?.type === 'close') {
      // The host's dialog Close: ask first when answers would be lost, else let the host close.
      if (!this.#askToClose(() => this.#post({ protocol: FRAME_PROTOCOL, type: 'confirming' }))) {
        this.#post({ protocol: FRAME_PROTOCOL, type: 'escape' });
      }
    } else if (message && !this.#openTaken && !this.#pendingOpen && this.phase === 'waiting') {
      this.#takeOpen(message);
    }
  };

  #takeOpen(open: OpenMessage, view?: Promise<Response>): void {
    if (this.#pendingOpen || this.phase !== 'waiting') return;
    this.#openTaken = true;
    this.#pendingOpen = open;
    void this.#load(view);
  }

  /** Redeems the view key for the form; `started` is a view request already made with it (see `early`). */
  async #load(started?: Promise<Response>): Promise<void> {
    const open = this.#pendingOpen;
    if (!open) return;
    this.phase = 'loading';
    this.problem = null;
    let response: Response;
    try {
      response = await (started ?? requestView(open.viewOtk));
    } catch {
      this.#loadProblem('NETWORK');
      return;
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      this.#loadProblem(refusalCode(body, KNOWN_CODES));
      return;
    }
    // The form for this invitation and site, or nothing: the rest was validated by the backend.
    const data = object(body) as ViewFormResponse | null;
    if (!data || data.invitationId !== open.invitationId || data.siteId !== this.siteId || typeof data.submitOtk !== 'string') {
      this.#fail('INTERNAL');
      return;
    }
    this.#pendingOpen = null;
    const { submitOtk, submitDeadline, ...view } = data;
    this.view = view;
    this.updateSubmitOtk(submitOtk, submitDeadline);
    this.phase = 'form';
    // The sealing code loads once the form shows, well before the visitor can send it.
    void this.updateComplete.then(() => loadSealing().catch(() => undefined));
  }

  #loadProblem(code: ProblemCode): void {
    if (code === 'NETWORK' || code === 'RATE_LIMITED') {
      this.phase = 'error';
      this.problem = {
        ...frameProblem(code),
        text: msg('The secure form could not load because the connection failed. Check your internet connection, then try again.'),
      };
    } else {
      this.#fail(code);
    }
  }

  /** The form cannot go on: forget everything, show why, and tell the host (which offers the next step). */
  #fail(code: ProblemCode): void {
    this.confirmingClose = false;
    this.#pendingOpen = null;
    this.#submitOtk = null;
    this.view = null;
    this.formEl?.clear();
    this.phase = 'error';
    this.problem = { ...frameProblem(code), retry: false };
    this.#post({ protocol: FRAME_PROTOCOL, type: 'error', code: code === 'NETWORK' ? 'INTERNAL' : code });
  }

  #tick(): void {
    if (this.phase !== 'form') return;
    this.now = Date.now();
    if (this.now >= this.#deadline) this.#fail('OTK_EXPIRED');
  }

  /** Whether the time warning shows: within {@link WARN_BEFORE_MS} of the deadline. */
  get #warning(): boolean {
    return this.phase === 'form' && this.#deadline - this.now <= WARN_BEFORE_MS;
  }

  /**
   * "Give me more time": trade the submit key for a fresh one with a later deadline
   * (`POST /v1/submissions/extend`), up to the form's `extensionsLeft`. The answers stay as typed.
   */
  #extend = async (): Promise<void> => {
    const otk = this.#submitOtk;
    if (!otk || this.extending || this.phase !== 'form' || !this.view || this.view.extensionsLeft < 1) return;
    this.extending = true;
    this.problem = null;
    try {
      let response: Response;
      try {
        response = await fetch(`${API_PREFIX}/submissions/extend`, {
          method: 'POST',
          headers: { Authorization: otkAuthorization(otk) },
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch {
        this.problem = {
          code: 'NETWORK',
          text: msg('More time could not be added because the connection failed. Check your internet connection, then try again.'),
          retry: false,
        };
        return;
      }
      const json: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const code = refusalCode(json, KNOWN_CODES);
        if (code === 'RATE_LIMITED' || code === 'INTERNAL' || code === 'SERVICE_BUSY') this.problem = frameProblem(code);
        else this.#fail(code);
        return;
      }
      const extended = object(json) as ExtendResponse | null;
      if (!extended || typeof extended.submitOtk !== 'string' || typeof extended.submitDeadline !== 'string') {
        this.#fail('INTERNAL');
        return;
      }
      this.updateSubmitOtk(extended.submitOtk, extended.submitDeadline, extended.extensionsLeft);
      this.announcement = msg(str`More time added. ${this.#timeLeft()}`);
      // The pressed button goes away with the warning: focus goes on where the visitor left off
      // rather than dropping to the page (WCAG 2.4.3); the status region announces the new time.
      void this.updateComplete.then(() => this.formEl?.focusWhereLeftOff());
    } finally {
      this.extending = false;
    }
  };

  #submit = async (answers: Answers): Promise<boolean> => {
    const view = this.view;
    const otk = this.#submitOtk;
    if (!view || !otk || this.phase !== 'form') return false;
    this.problem = null;
    let response: Response;
    try {
      const { buildSubmission } = await loadSealing();
      const body = await buildSubmission(view, answers);
      response = await fetch(`${API_PREFIX}/submissions`, {
        method: 'POST',
        headers: { Authorization: otkAuthorization(otk), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      this.problem = frameProblem('NETWORK');
      return false;
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const code = refusalCode(json, KNOWN_CODES);
      const problem = frameProblem(code);
      if (problem.retry) {
        this.problem = problem;
        return false;
      }
      this.#fail(code);
      return true;
    }
    const submitted = object(json) as SubmitResponse | null;
    this.#submitOtk = null;
    this.view = null;
    if (!submitted || typeof submitted.submissionId !== 'string') {
      this.#fail('INTERNAL');
      return true;
    }
    this.phase = 'done';
    this.#post({ protocol: FRAME_PROTOCOL, type: 'submitted', submissionId: submitted.submissionId });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="confirmation"] h1')?.focus());
    return true;
  };

  #onRetry = (): void => {
    if (this.#pendingOpen) void this.#load();
    else void this.formEl?.send();
  };

  #onClose = (): void => {
    this.confirmingClose = false;
    this.#focusInField = null;
    this.formEl?.clear();
    this.view = null;
    this.#submitOtk = null;
    this.problem = null;
    this.phase = 'closed';
    this.#post({ protocol: FRAME_PROTOCOL, type: 'closed' });
  };

  /**
   * What the time warning announces: it changes only at the warning's start and at 30 and 10
   * seconds left, so a screen reader speaks it three times at most rather than every second.
   */
  #warningAnnouncement(): string {
    const left = this.#deadline - this.now;
    const step =
      left <= 10_000
        ? msg('You have less than 10 seconds left to send this form.')
        : left <= 30_000
          ? msg('You have less than 30 seconds left to send this form.')
          : msg('You have less than a minute left to send this form.');
    const next =
      this.view && this.view.extensionsLeft > 0
        ? msg('Do you need more time? Your answers stay as they are.')
        : msg('Send the form now: no more time can be added.');
    return `${step} ${next}`;
  }

  #timeLeft(): string {
    const seconds = Math.max(0, Math.ceil((this.#deadline - this.now) / 1000));
    if (seconds >= 120) return msg(str`You have ${Math.floor(seconds / 60)} minutes left to send this form.`);
    if (seconds >= 60) return msg('You have 1 minute left to send this form.');
    return msg(str`You have ${seconds} seconds left to send this form.`);
  }

  #renderProblem() {
    if (!this.problem) return nothing;
    return html`<div part="problem" class="problem" role="alert">
      <p>${this.problem.text}</p>
      ${
        this.problem.retry
          ? html`<button part="retry-button" class="button button--secondary" type="button" @click=${this.#onRetry}>
              ${msg('Try again')}
            </button>`
          : nothing
      }
    </div>`;
  }

  /**
   * The question Escape asks when answers would be lost: an alert dialog inside the frame, the form
   * behind it inert (nothing there can be typed into or tabbed to meanwhile), "Keep filling in"
   * focused as the safe choice.
   */
  #renderConfirmClose() {
    if (!this.confirmingClose) return nothing;
    return html`<div
      part="confirm-close"
      class="problem"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="cc-t"
      aria-describedby="cc-d"
    >
      <h2 id="cc-t">${msg('Close this form?')}</h2>
      <p id="cc-d">${msg('Your answers will be deleted. Opening the form again counts as one of the times it can be opened.')}</p>
      <div class="actions">
        <button part="keep-button" class="button" type="button" @click=${this.#keepFilling}>${msg('Keep filling in')}</button>
        <button part="discard-button" class="button button--secondary" type="button" @click=${this.#onClose}>
          ${msg('Close and delete my answers')}
        </button>
      </div>
    </div>`;
  }

  override render() {
    const closeButton = html`<div class="actions">
      <button part="close-button" class="button button--secondary" type="button" @click=${this.#onClose}>${msg('Close')}</button>
    </div>`;
    switch (this.phase) {
      case 'waiting':
      case 'loading':
        return html`<div part="base" class="base">
          <h1 part="title">${msg('Secure form')}</h1>
          <p part="loading" role="status">${msg('Loading the secure form…')}</p>
        </div>`;
      case 'error':
        return html`<div part="base" class="base">
          <h1 part="title">${msg('Secure form')}</h1>
          ${this.#renderProblem()} ${closeButton}
        </div>`;
      case 'closed':
        return html`<div part="base" class="base">
          <h1 part="title">${msg('Secure form')}</h1>
          <p role="status">${msg('You closed the form. Nothing was sent. You can open it again from the chat.')}</p>
        </div>`;
      case 'done':
        return html`<div part="base confirmation" class="base done">
          <h1 tabindex="-1">${msg('Sent securely')}</h1>
          <p>${msg('Your answers went straight to your agent, encrypted. They are not in the chat. You can close this form.')}</p>
          ${closeButton}
        </div>`;
      case 'form': {
        const view = this.view!;
        return html`<div part="base" class="base">
          <h1 part="title">${inLanguage(view.form.title, this.locale)}</h1>
          ${view.form.description ? html`<p part="description">${inLanguage(view.form.description, this.locale)}</p>` : nothing}
          ${!this.#warning ? html`<p part="deadline" class="deadline">${this.#timeLeft()}</p>` : nothing}
          <!-- Shown with its text at once when the warning starts: an alert that appears is announced. -->
          <p part="time-alert" class="visually-hidden" role="alert" ?hidden=${!this.#warning}>
            ${this.#warning ? this.#warningAnnouncement() : ''}
          </p>
          <!-- The ticking seconds stay out of any live region (the alert above speaks at steps). -->
          <div part="time-warning" class="warning ${this.#warning ? '' : 'warning--empty'}">
            ${
              this.#warning
                ? html`<p><strong>${this.#timeLeft()}</strong></p>
                    ${
                      view.extensionsLeft > 0
                        ? html`<p>${msg('Do you need more time? Your answers stay as they are.')}</p>
                            <button
                              part="extend-button"
                              class="button"
                              type="button"
                              aria-disabled=${this.extending ? 'true' : 'false'}
                              @click=${this.#extend}
                            >
                              ${msg('Give me more time')}
                            </button>`
                        : html`<p>${msg('Send the form now: no more time can be added.')}</p>`
                    }`
                : nothing
            }
          </div>
          <p part="status" class="visually-hidden" role="status">${this.announcement}</p>
          ${this.#renderProblem()} ${this.#renderConfirmClose()}
          <secure-form
            part="form"
            ?inert=${this.confirmingClose}
            .form=${view.form}
            .locale=${this.locale}
            .submitAnswers=${this.#submit}
            @secure-form-cancel=${this.#onClose}
          ></secure-form>
        </div>`;
      }
    }
  }
}
