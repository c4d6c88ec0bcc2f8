import { msg } from '@lit/localize';
import { html, nothing, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import type { SecureForm } from '../secure-form/secure-form.component.js';

/**
 * Escape, and the host's Close, when answers are typed: closing deletes them (and opening again
 * uses one of the form's opens), so the frame asks "Close this form?" first, with "Keep filling in"
 * focused as the safe choice. Escape goes to the host otherwise, which closes its modal dialog: key
 * events inside a cross-origin frame never reach the host page's `<dialog>`.
 */
export class CloseConfirmation implements ReactiveController {
  readonly #host: LitElement;
  readonly #form: () => SecureForm | null;
  readonly #escape: () => void;
  #asking = false;
  /** The field that had focus when Escape asked, to go back to. */
  #focusInField: HTMLElement | null = null;

  /**
   * @param form The form, while it shows (null otherwise: nothing to lose then).
   * @param escape Tells the host to close.
   */
  constructor(host: LitElement, form: () => SecureForm | null, escape: () => void) {
    this.#host = host;
    this.#form = form;
    this.#escape = escape;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#onKeydown);
  }

  /** Whether "Close this form?" shows (the form behind it is then inert). */
  get asking(): boolean {
    return this.#asking;
  }

  /**
   * With answers typed, shows "Close this form?" with "Keep filling in" focused, and says true;
   * with nothing to lose, says false (the caller lets the host close). `then` runs once the
   * question has focus, so the host moves focus into the frame only when there is a place for it.
   */
  ask(then?: () => void): boolean {
    const form = this.#form();
    if (!form?.hasAnswers) return false;
    if (!this.#asking) this.#focusInField = form.shadowRoot?.activeElement as HTMLElement | null;
    this.#set(true);
    void this.#host.updateComplete.then(() => {
      const focusKeep = () => this.#host.renderRoot.querySelector<HTMLElement>('[part~="keep-button"]')?.focus();
      focusKeep();
      // Accessibility workaround: asked by the host's Close, the frame's window gets focus only
      // when the host moves it in (on `confirming`), and Chromium then blurs the button focused
      // before (the frame's body had focus; document.hasFocus() said true all along, so it cannot
      // tell). Focus "Keep filling in" again when the window gets focus while the question shows.
      window.addEventListener('focus', () => this.#asking && focusKeep(), { once: true });
      then?.();
    });
    return true;
  }

  /** Forgets the question (the form closed or failed). */
  reset(): void {
    this.#set(false);
    this.#focusInField = null;
  }

  /** "Keep filling in": back to the field that had focus, else where the visitor left off. */
  #keep = (): void => {
    const field = this.#focusInField;
    this.reset();
    void this.#host.updateComplete.then(() => (field?.isConnected ? field.focus() : this.#form()?.focusWhereLeftOff()));
  };

  #set(asking: boolean): void {
    this.#asking = asking;
    this.#host.requestUpdate();
  }

  /**
   * Not while an IME composes (Escape cancels the composition there) or when something in the form
   * already handled the key. Escape again answers "Keep filling in", as it would dismiss any dialog.
   */
  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented) return;
    if (this.#asking) this.#keep();
    else if (!this.ask()) this.#escape();
  };

  /**
   * The question: an alert dialog inside the frame, the form behind it inert (nothing there can be
   * typed into or tabbed to meanwhile). `discard` closes the form.
   */
  render(discard: () => void): TemplateResult | typeof nothing {
    if (!this.#asking) return nothing;
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
        <button part="keep-button" class="button" type="button" @click=${this.#keep}>${msg('Keep filling in')}</button>
        <button part="discard-button" class="button button--secondary" type="button" @click=${discard}>
          ${msg('Close and delete my answers')}
        </button>
      </div>
    </div>`;
  }
}
