import { localized, msg, str } from '@lit/localize';
// Types only from the API and protocol modules: their zod schemas stay out of the frame. Its one
// untrusted input, the host's message, is checked by hand (host-messages.ts); its requests, read
// by shared's request sequence with hand-written checks, are in frame/requests.ts, which says why.
import type { ViewFormResponse } from '@secure-forms/shared/api';
import type { Answers } from '@secure-forms/shared/envelope';
import { SITE_ID_PATTERN } from '@secure-forms/shared/format-patterns';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { inLanguage } from '../../messages/language.js';
import { frameProblem, type Problem } from '../../messages/problems.js';
import { failureCode, readView, requestExtension, requestSubmit, type ViewAnswer } from '../../frame/requests.js';
import { frameStart } from '../../frame/frame-start.js';
import type { EarlyOpen } from '../../frame/view-request.js';
import type { SecureForm } from '../secure-form/secure-form.component.js';
import '../secure-form/secure-form.js';
import { CloseConfirmation } from './close-confirmation.js';
import { HostChannel } from './host-channel.js';
import { SubmitDeadline } from './submit-deadline.js';
import styles from './secure-form-frame.styles.js';

export { WARN_BEFORE_MS } from './time-left.js';

type Phase = 'waiting' | 'loading' | 'form' | 'done' | 'closed' | 'error';
type View = Omit<ViewFormResponse, 'submitOtk' | 'submitDeadline'>;
/** A failed request's stable code (`RESPONSE_INVALID`: an answer the API never gives, which ends the form as INTERNAL). */
type FailureCode = ReturnType<typeof failureCode>;

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
 * @cssproperty [--secure-form-error-color=#d4351c / #ff8a78] - Edge of the problem box.
 * @cssproperty [--secure-form-warning-color=#594d00 / #ffe066] - Text and edge of the time warning.
 * @cssproperty [--secure-form-warning-background=#fff7bf / #332b00] - Background of the time warning.
 * @cssproperty [--secure-form-secondary-text-color=#484949 / #c8c8c8] - The time left.
 * @cssproperty [--secure-form-success-color=#00703c / #5fd38d] - Border of the confirmation.
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
   * The host's `open` and the view request started with it, set by the frame page before this
   * element connects: its first script says `ready` and takes `open` (`frame/ready.ts`, with
   * `takeOpen`), so that the request leaves before this element's code has even loaded. The one way
   * `open` reaches the element; without it the element waits (and shows it is loading). A retry
   * after a failed connection makes the request again through it (`retry`).
   */
  early: Promise<EarlyOpen> | null = null;

  @state() private phase: Phase = 'waiting';
  @state() private problem: Problem | null = null;
  @state() private view: View | null = null;
  @state() private extending = false;
  /** Announced politely in the status region (e.g. that more time was added). */
  @state() private announcement = '';

  /** As `@query('secure-form')`, without pulling that decorator into the frame bundle. */
  private get formEl(): SecureForm | null {
    return this.renderRoot?.querySelector('secure-form') ?? null;
  }

  /** Held from `open` until the form loads, so a failed connection can be retried. */
  #pendingOpen: EarlyOpen | null = null;
  #submitOtk: string | null = null;
  /** The frame URL's host or site is not valid: the frame talks to no one. */
  #refused = false;

  readonly #channel: HostChannel = new HostChannel(
    this,
    () => (this.#refused ? null : frameStart().bareOrigin(this.hostOrigin)),
    () => this.#onHostClose(),
  );
  readonly #deadline: SubmitDeadline = new SubmitDeadline(
    this,
    () => this.phase === 'form',
    () => this.#fail('OTK_EXPIRED'),
  );
  readonly #closing: CloseConfirmation = new CloseConfirmation(
    this,
    () => (this.phase === 'form' ? this.formEl : null),
    () => this.#channel.post({ type: 'escape' }),
  );

  override connectedCallback(): void {
    // Before the controllers start (in super.connectedCallback): a refused frame listens to nothing.
    this.#refused = !frameStart().bareOrigin(this.hostOrigin) || !SITE_ID_PATTERN.test(this.siteId);
    super.connectedCallback();
    if (this.#refused) {
      this.phase = 'error';
      this.problem = { code: 'ORIGIN_NOT_ALLOWED', text: msg('This form can only be opened from the chat it was sent to.'), retry: false };
      return;
    }
    void this.early?.then((early) => {
      this.#pendingOpen = early;
      void this.#load(early.view);
    });
  }

  /**
   * Swap in a fresh submit key and deadline (the extension flow trades the old key for a new one).
   * The key stays in this element's memory only.
   */
  updateSubmitOtk(submitOtk: string, submitDeadline: string, extensionsLeft?: number): void {
    this.#submitOtk = submitOtk;
    this.#deadline.set(submitDeadline);
    if (this.view && extensionsLeft !== undefined) this.view = { ...this.view, extensionsLeft };
  }

  /** The host's dialog Close: ask first when answers would be lost, else let the host close. */
  #onHostClose(): void {
    if (!this.#closing.ask(() => this.#channel.post({ type: 'confirming' }))) this.#channel.post({ type: 'escape' });
  }

  /** Asks for the form with the host's `open`; `started` is a view request already made with it (see `early`). */
  async #load(started?: Promise<Response>): Promise<void> {
    const pending = this.#pendingOpen;
    if (!pending) return;
    this.phase = 'loading';
    this.problem = null;
    let data: ViewAnswer;
    try {
      // The form for this invitation and site, or a failure.
      data = await readView(started ?? pending.retry(), pending.open.invitationId, this.siteId);
    } catch (error) {
      this.#loadProblem(failureCode(error));
      return;
    }
    this.#pendingOpen = null;
    const { submitOtk, submitDeadline, opensLeft, ...view } = data;
    // Opened with the visitor's token, the frame's request counted the open: the host says how
    // many are left once the form closes (with a view key, the host's own open request told it).
    if (opensLeft !== undefined) this.#channel.post({ type: 'opened', opensLeft });
    this.view = view;
    this.updateSubmitOtk(submitOtk, submitDeadline);
    this.phase = 'form';
    // The sealing code loads once the form shows, well before the visitor can send it.
    void this.updateComplete.then(() => loadSealing().catch(() => undefined));
  }

  #loadProblem(code: FailureCode): void {
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
  #fail(failure: FailureCode): void {
    const code = failure === 'RESPONSE_INVALID' ? 'INTERNAL' : failure;
    this.#closing.reset();
    this.#pendingOpen = null;
    this.#submitOtk = null;
    this.view = null;
    this.formEl?.clear();
    this.phase = 'error';
    this.problem = { ...frameProblem(code), retry: false };
    this.#channel.post({ type: 'error', code: code === 'NETWORK' ? 'INTERNAL' : code });
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
      let extended;
      try {
        extended = await requestExtension(otk);
      } catch (error) {
        const code = failureCode(error);
        if (code === 'NETWORK') {
          this.problem = {
            code,
            text: msg('More time could not be added because the connection failed. Check your internet connection, then try again.'),
            retry: false,
          };
        } else if (code === 'RATE_LIMITED' || code === 'INTERNAL' || code === 'SERVICE_BUSY') {
          this.problem = frameProblem(code);
        } else {
          this.#fail(code);
        }
        return;
      }
      this.updateSubmitOtk(extended.submitOtk, extended.submitDeadline, extended.extensionsLeft);
      this.announcement = msg(str`More time added. ${this.#deadline.text}`);
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
    let submitted;
    try {
      const { buildSubmission } = await loadSealing();
      submitted = await requestSubmit(otk, await buildSubmission(view, answers));
    } catch (error) {
      const code = failureCode(error);
      const problem = code === 'RESPONSE_INVALID' ? null : frameProblem(code);
      if (problem?.retry) {
        this.problem = problem;
        return false;
      }
      this.#fail(code);
      return true;
    }
    this.#submitOtk = null;
    this.view = null;
    this.phase = 'done';
    this.#channel.post({ type: 'submitted', submissionId: submitted.submissionId });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="confirmation"] h1')?.focus());
    return true;
  };

  #onRetry = (): void => {
    if (this.#pendingOpen) void this.#load();
    else void this.formEl?.send();
  };

  #onClose = (): void => {
    this.#closing.reset();
    this.formEl?.clear();
    this.view = null;
    this.#submitOtk = null;
    this.problem = null;
    this.phase = 'closed';
    this.#channel.post({ type: 'closed' });
  };

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

  /** The page before or instead of the form: "Secure form" as its heading, then `content`. */
  #page(content: unknown) {
    return html`<div part="base" class="base">
      <h1 part="title">${msg('Secure form')}</h1>
      ${content}
    </div>`;
  }

  override render() {
    const closeButton = html`<div class="actions">
      <button part="close-button" class="button button--secondary" type="button" @click=${this.#onClose}>${msg('Close')}</button>
    </div>`;
    switch (this.phase) {
      case 'waiting':
      case 'loading':
        return this.#page(html`<p part="loading" role="status">${msg('Loading the secure form…')}</p>`);
      case 'error':
        return this.#page(html`${this.#renderProblem()} ${closeButton}`);
      case 'closed':
        return this.#page(html`<p role="status">${msg('You closed the form. Nothing was sent. You can open it again from the chat.')}</p>`);
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
          ${this.#deadline.render({ left: view.extensionsLeft, extending: this.extending, extend: this.#extend })}
          <p part="status" class="visually-hidden" role="status">${this.announcement}</p>
          ${this.#renderProblem()} ${this.#closing.render(this.#onClose)}
          <secure-form
            part="form"
            ?inert=${this.#closing.asking}
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
