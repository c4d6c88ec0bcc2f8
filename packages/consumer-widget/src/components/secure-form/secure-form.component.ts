import { localized, msg, str } from '@lit/localize';
import type { Answers } from '@secure-forms/shared/envelope';
import {
  fieldTypeSpec,
  inputType,
  isOffTheRecord,
  localize,
  type FieldDefinition,
  type FieldType,
  type FormDefinition,
} from '@secure-forms/shared/form';
import { maskCardNumber, maskSecret } from '@secure-forms/shared/masking';
import { formatCardNumber, normalizeCardNumber, parseExpiry, validateField, type ValidationReason } from '@secure-forms/shared/validators';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { inLanguage, isFallback, withLabel } from '../../messages/language.js';
import { defaultHint, validationMessage } from '../../messages/validation.js';
import styles from './secure-form.styles.js';

/**
 * Answers written left to right in every language: digits with spaces, slashes or dashes between
 * them (and any masked value's dots) are weak or neutral characters that a right-to-left page
 * would reorder, showing 4111 1111 1111 1111 as 1111 1111 1111 4111 (WCAG 1.3.2). Their inputs
 * and review values carry `dir="ltr"`, which also isolates them from the text around them.
 */
const LEFT_TO_RIGHT: ReadonlySet<FieldType> = new Set<FieldType>([
  'card-number',
  'expiry',
  'cvv',
  'pin',
  'ssn',
  'phone',
  'email',
  'number',
]);

/**
 * Receives the visitor's answers after they chose "Send securely". Resolve `true` once they were
 * sent (the form then clears every value), `false` when they were not (the form keeps them so the
 * visitor can try again).
 */
export type SubmitAnswers = (answers: Answers) => Promise<boolean>;

/** Fired when the visitor chose Cancel. Carries nothing. */
export class SecureFormCancelEvent extends Event {
  static readonly type = 'secure-form-cancel';
  constructor() {
    super(SecureFormCancelEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Renders a Secure Forms form definition and collects the visitor's answers: native labels,
 * hints tied with `aria-describedby`, validation on Continue only (never on blur) with a GOV.UK
 * error summary and inline messages, then a review step (WCAG 3.3.4) with sensitive values
 * masked, a Change link per answer, and "Send securely".
 *
 * Lives only in the form frame on the PCI origin. The answers leave this element only through
 * the {@link SecureForm.submitAnswers} callback, never in an event, an attribute or storage, so no
 * listener up the tree can read them.
 *
 * @summary The secure form itself, inside the PCI frame.
 *
 * @event secure-form-cancel - {@link SecureFormCancelEvent}: the visitor chose Cancel. Carries nothing.
 *
 * @csspart form - The form on the edit step.
 * @csspart error-summary - The "There is a problem" box at the top after a failed Continue.
 * @csspart error-summary-alert - Its inner role=alert element, focused after a failed Continue.
 * @csspart error-summary-heading - Its heading.
 * @csspart error-summary-list - The list of links to each field in error.
 * @csspart field - The wrapper of one field (a fieldset for yes/no).
 * @csspart label - A field's label or legend.
 * @csspart hint - A field's hint.
 * @csspart error-message - A field's inline error message.
 * @csspart input - A text input or select.
 * @csspart choice - One radio or checkbox with its label.
 * @csspart actions - A row of buttons.
 * @csspart continue-button - "Continue".
 * @csspart cancel-button - "Cancel".
 * @csspart review - The review step.
 * @csspart review-heading - Its heading, focused when the step opens.
 * @csspart review-list - The list of answers.
 * @csspart review-row - One answer with its Change link.
 * @csspart change-link - A "Change" link.
 * @csspart send-button - "Send securely".
 * @csspart back-button - "Back to the form".
 * @csspart busy - The "Sending…" status text.
 *
 * @cssproperty --secure-form-error-color - Error summary, inline messages, invalid borders (default #d4351c).
 * @cssproperty --secure-form-input-border-color - Input borders (default #0b0c0c).
 * @cssproperty --secure-form-input-max-width - Widest an input grows (default 24rem).
 * @cssproperty --secure-form-secondary-text-color - Hints (default #484949).
 * @cssproperty --secure-form-primary-color - Primary buttons (default #00703c).
 * @cssproperty --secure-form-focus-color - Focus outline (default #1d70b8).
 * @cssproperty --secure-form-link-color - Change links (default #1d70b8).
 * @cssproperty --secure-form-input-background - Input background (default #ffffff; dark #0b0c0c).
 * @cssproperty --secure-form-border-color - Review rows (default #505a5f).
 * Each colour has a dark-theme default under `prefers-color-scheme: dark`.
 */
@localized()
export class SecureForm extends LitElement {
  static override styles = styles;

  /**
   * The form to render, as parsed by `formDefinitionSchema`. A property only. Setting a new form
   * clears any answers and returns to the edit step; `null` renders nothing.
   */
  @property({ attribute: false }) form: FormDefinition | null = null;

  /** BCP 47 tag to pick labels and hints from the definition's translations; English otherwise. */
  @property() locale = 'en';

  /**
   * Called with the answers (field id to text; empty optional answers left out; card numbers as
   * digits only; expiry as `MM/YY`) when the visitor chooses "Send securely". While it runs the
   * send button is inert. Unset, sending does nothing.
   */
  @property({ attribute: false }) submitAnswers: SubmitAnswers | null = null;

  /** The moment expiry dates are checked against; defaults to now. For tests. */
  @property({ attribute: false }) now: Date | null = null;

  @state() private step: 'edit' | 'review' = 'edit';
  @state() private errors: ReadonlyMap<string, ValidationReason> = new Map();
  @state() private sending = false;

  /** The answers as typed. In memory only, cleared by {@link SecureForm.clear}. */
  #values = new Map<string, string>();
  #focusAfterUpdate: (() => HTMLElement | null | undefined) | null = null;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('form') && changed.get('form') !== undefined) this.clear();
  }

  override updated(): void {
    const target = this.#focusAfterUpdate;
    this.#focusAfterUpdate = null;
    target?.()?.focus();
  }

  /** Whether the visitor typed or chose any answer (which closing the form would throw away). */
  get hasAnswers(): boolean {
    return [...this.#values.values()].some((v) => v.trim());
  }

  /** Forget every answer, error and step: the DOM and memory hold no value afterwards. */
  clear(): void {
    this.#values = new Map();
    this.errors = new Map();
    this.step = 'edit';
    this.sending = false;
    for (const input of this.renderRoot.querySelectorAll?.('input, select') ?? []) {
      if (input instanceof HTMLInputElement && (input.type === 'radio' || input.type === 'checkbox')) input.checked = false;
      else (input as HTMLInputElement | HTMLSelectElement).value = '';
    }
  }

  /**
   * Moves focus to where the visitor goes on after something that held focus went away (such as
   * "Give me more time"): the first required field still empty, else the step's main button
   * (Continue, or Send securely on the review step).
   */
  focusWhereLeftOff(): void {
    const unfinished = this.step === 'edit' ? this.form?.fields.find((f) => f.required && !this.#value(f.id).trim()) : undefined;
    const target = unfinished
      ? this.renderRoot.querySelector<HTMLElement>(`#f-${unfinished.id}`)
      : this.renderRoot.querySelector<HTMLElement>(this.step === 'edit' ? '[part~="continue-button"]' : '[part~="send-button"]');
    target?.focus();
  }

  /** Send the reviewed answers, as the "Send securely" button does; only on the review step. */
  async send(): Promise<void> {
    if (this.step !== 'review' || this.sending || !this.submitAnswers || !this.form) return;
    this.sending = true;
    let sent: boolean;
    try {
      sent = await this.submitAnswers(this.#answers());
    } finally {
      this.sending = false;
    }
    if (sent) this.clear();
  }

  /** The field's label, in a `<span lang="en">` when the form has no translation of it. */
  #label(field: FieldDefinition): string | TemplateResult {
    return inLanguage(field.label, this.locale);
  }

  /** Whether the field's answer is written left to right whatever the page's direction. */
  #leftToRight(field: FieldDefinition): boolean {
    return LEFT_TO_RIGHT.has(field.type) || field.masked || isOffTheRecord(field);
  }

  #value(id: string): string {
    return this.#values.get(id) ?? '';
  }

  #cardNumber(): string {
    const card = this.form?.fields.find((f) => f.type === 'card-number');
    return card ? this.#value(card.id) : '';
  }

  /** A null-prototype record: a field id such as `constructor` finds no inherited member in it. */
  #answers(): Answers {
    const answers = Object.create(null) as Answers;
    for (const field of this.form?.fields ?? []) {
      const value = this.#value(field.id).trim();
      if (!value || (field.type === 'checkbox' && value !== 'true')) continue;
      if (field.type === 'card-number') answers[field.id] = normalizeCardNumber(value);
      else if (field.type === 'expiry') {
        const e = parseExpiry(value);
        answers[field.id] = e ? `${String(e.month).padStart(2, '0')}/${String(e.year % 100).padStart(2, '0')}` : value;
      } else answers[field.id] = value;
    }
    return answers;
  }

  #focusField(id: string): void {
    const el = this.renderRoot.querySelector<HTMLElement>(`#f-${id}`);
    el?.scrollIntoView?.({ block: 'center' });
    el?.focus();
  }

  #onContinue = (event: SubmitEvent): void => {
    event.preventDefault();
    if (!this.form) return;
    const context = { cardNumber: this.#cardNumber(), ...(this.now ? { now: this.now } : {}) };
    const errors = new Map<string, ValidationReason>();
    for (const field of this.form.fields) {
      const reason = validateField(field, this.#value(field.id), context);
      if (reason) errors.set(field.id, reason);
    }
    this.errors = errors;
    if (errors.size > 0) {
      this.#focusAfterUpdate = () => this.renderRoot.querySelector<HTMLElement>('[part="error-summary-alert"]');
    } else {
      this.step = 'review';
      this.#focusAfterUpdate = () => this.renderRoot.querySelector<HTMLElement>('[part="review-heading"]');
    }
    this.requestUpdate();
  };

  #onInput = (field: FieldDefinition, event: Event): void => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    if (fieldTypeSpec(field.type).grouping && input instanceof HTMLInputElement) this.#formatCard(input);
    if (input instanceof HTMLInputElement && input.type === 'checkbox') this.#values.set(field.id, input.checked ? 'true' : '');
    else this.#values.set(field.id, input.value);
  };

  /** Group the digits as the brand prints them, keeping the caret after the same digit. */
  #formatCard(input: HTMLInputElement): void {
    const raw = input.value;
    if (!/^[\d\s-]*$/.test(raw)) return;
    const caret = input.selectionStart ?? raw.length;
    const digitsBefore = raw.slice(0, caret).replace(/\D/g, '').length;
    const formatted = formatCardNumber(raw);
    if (formatted === raw) return;
    input.value = formatted;
    let pos = 0;
    for (let seen = 0; pos < formatted.length && seen < digitsBefore; pos++) if (/\d/.test(formatted[pos]!)) seen++;
    if (document.activeElement === input || this.shadowRoot?.activeElement === input) input.setSelectionRange(pos, pos);
  }

  #onCancel = (): void => {
    this.clear();
    this.dispatchEvent(new SecureFormCancelEvent());
  };

  #onBack = (): void => {
    this.step = 'edit';
    const first = this.form?.fields[0];
    this.#focusAfterUpdate = () => (first ? this.renderRoot.querySelector<HTMLElement>(`#f-${first.id}`) : null);
  };

  #onChange = (field: FieldDefinition, event: Event): void => {
    event.preventDefault();
    this.step = 'edit';
    this.#focusAfterUpdate = () => this.renderRoot.querySelector<HTMLElement>(`#f-${field.id}`);
  };

  override render() {
    if (!this.form) return nothing;
    return this.step === 'review' ? this.#renderReview(this.form) : this.#renderEdit(this.form);
  }

  #renderSummary(form: FormDefinition): TemplateResult | typeof nothing {
    if (this.errors.size === 0) return nothing;
    const card = this.#cardNumber();
    return html`<div part="error-summary" class="error-summary">
      <div part="error-summary-alert" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
        <h2 part="error-summary-heading" id="error-summary-title">${msg('There is a problem')}</h2>
        <ul part="error-summary-list">
          ${form.fields
            .filter((f) => this.errors.has(f.id))
            .map(
              (f) =>
                html`<li>
                  <a
                    href="#f-${f.id}"
                    @click=${(e: Event) => {
                      e.preventDefault();
                      this.#focusField(f.id);
                    }}
                    >${withLabel((l) => validationMessage(f.type, this.errors.get(f.id)!, l, card), this.#label(f))}</a
                  >
                </li>`,
            )}
        </ul>
      </div>
    </div>`;
  }

  #renderEdit(form: FormDefinition): TemplateResult {
    return html`<form part="form" novalidate @submit=${this.#onContinue}>
      ${this.#renderSummary(form)} ${form.fields.map((f) => this.#renderField(f))}
      <div part="actions" class="actions">
        <button part="continue-button" class="button" type="submit">${msg('Continue')}</button>
        <button part="cancel-button" class="button button--secondary" type="button" @click=${this.#onCancel}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  #renderField(field: FieldDefinition): TemplateResult {
    const id = `f-${field.id}`;
    const label = this.#label(field);
    const labelText = field.required ? label : withLabel((l) => msg(str`${l} (optional)`), label);
    const hint = field.hint ? inLanguage(field.hint, this.locale) : defaultHint(field.type);
    const reason = this.errors.get(field.id);
    const hintId = hint ? `${id}-hint` : undefined;
    const errorId = reason ? `${id}-error` : undefined;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
    const hintEl = hint ? html`<p part="hint" class="hint" id=${hintId!}>${hint}</p>` : nothing;
    const errorEl = reason
      ? html`<p part="error-message" class="error-message" id=${errorId!}>
          <span class="visually-hidden">${msg('Error:')} </span
          >${withLabel((l) => validationMessage(field.type, reason, l, this.#cardNumber()), label)}
        </p>`
      : nothing;
    const value = this.#value(field.id);
    const invalid = reason ? 'true' : 'false';
    const onInput = (e: Event) => this.#onInput(field, e);
    const fieldClass = `field ${reason ? 'field--error' : ''}`;

    const spec = fieldTypeSpec(field.type);
    if (spec.control === 'yes-no') {
      return html`<fieldset part="field" class=${fieldClass} aria-describedby=${ifDefined(describedBy)}>
        <legend part="label">${labelText}</legend>
        ${hintEl} ${errorEl}
        <div class="choices">
          ${(['yes', 'no'] as const).map(
            (choice, i) =>
              html`<div part="choice" class="choice">
                <input
                  type="radio"
                  id=${i === 0 ? id : `${id}-no`}
                  name=${field.id}
                  value=${choice}
                  .checked=${live(value === choice)}
                  aria-invalid=${invalid}
                  @change=${onInput}
                />
                <label for=${i === 0 ? id : `${id}-no`}>${choice === 'yes' ? msg('Yes') : msg('No')}</label>
              </div>`,
          )}
        </div>
      </fieldset>`;
    }
    if (spec.control === 'checkbox') {
      return html`<div part="field" class=${fieldClass}>
        ${hintEl} ${errorEl}
        <div part="choice" class="choice">
          <input
            type="checkbox"
            id=${id}
            name=${field.id}
            .checked=${live(value === 'true')}
            aria-invalid=${invalid}
            aria-describedby=${ifDefined(describedBy)}
            @change=${onInput}
          />
          <label part="label" for=${id}>${labelText}</label>
        </div>
      </div>`;
    }
    if (spec.control === 'select') {
      return html`<div part="field" class=${fieldClass}>
        <label part="label" for=${id}>${labelText}</label>
        ${hintEl} ${errorEl}
        <select
          part="input"
          id=${id}
          name=${field.id}
          aria-invalid=${invalid}
          aria-describedby=${ifDefined(describedBy)}
          @change=${onInput}
        >
          <option value="" ?selected=${value === ''}>${msg('Choose an option')}</option>
          ${(field.options ?? []).map(
            // An <option> holds text only: an English fallback is marked on the option itself.
            (o) =>
              html`<option
                value=${o.value}
                lang=${ifDefined(isFallback(o.label, this.locale) ? 'en' : undefined)}
                ?selected=${value === o.value}
              >
                ${localize(o.label, this.locale)}
              </option>`,
          )}
        </select>
      </div>`;
    }
    const secret = spec.typing === 'secret' || field.masked || isOffTheRecord(field);
    const verbatim = secret || spec.typing === 'verbatim';
    return html`<div part="field" class=${fieldClass}>
      <label part="label" for=${id}>${labelText}</label>
      ${hintEl} ${errorEl}
      <input
        part="input"
        class=${spec.short ? 'short' : ''}
        id=${id}
        name=${field.id}
        type=${inputType(field)}
        dir=${ifDefined(this.#leftToRight(field) ? 'ltr' : undefined)}
        autocomplete=${ifDefined(spec.autocomplete)}
        inputmode=${ifDefined(spec.inputMode)}
        maxlength=${ifDefined(spec.maxLength)}
        spellcheck=${verbatim ? 'false' : 'true'}
        autocapitalize=${verbatim ? 'off' : 'sentences'}
        autocorrect=${ifDefined(secret ? 'off' : undefined)}
        aria-required=${field.required ? 'true' : 'false'}
        aria-invalid=${invalid}
        aria-describedby=${ifDefined(describedBy)}
        .value=${live(value)}
        @input=${onInput}
        @change=${onInput}
      />
    </div>`;
  }

  #display(field: FieldDefinition, value: string): TemplateResult {
    if (!value) return html`${msg('Not given')}`;
    const review = fieldTypeSpec(field.type).review;
    if (review === 'card') return html`<span dir="ltr">${maskCardNumber(value)}</span>`;
    if (review === 'hidden' || field.masked || isOffTheRecord(field)) {
      return html`<span dir="ltr" aria-hidden="true">${maskSecret(value)}</span
        ><span class="visually-hidden">${msg('Hidden for your security')}</span>`;
    }
    if (review === 'yes-no') return html`${value === 'yes' ? msg('Yes') : msg('No')}`;
    if (review === 'ticked') return html`${msg('Yes')}`;
    if (review === 'option') {
      const option = field.options?.find((o) => o.value === value);
      return html`${option ? inLanguage(option.label, this.locale) : value}`;
    }
    return this.#leftToRight(field) ? html`<span dir="ltr">${value}</span>` : html`${value}`;
  }

  #renderReview(form: FormDefinition): TemplateResult {
    const answers = this.#answers();
    return html`<section part="review" class="review" aria-labelledby="review-heading">
      <h2 part="review-heading" id="review-heading" tabindex="-1">${msg('Check your answers before sending')}</h2>
      <dl part="review-list">
        ${form.fields.map((f) => {
          const label = this.#label(f);
          return html`<div part="review-row" class="row">
            <dt>${label}</dt>
            <dd>${this.#display(f, Object.hasOwn(answers, f.id) ? answers[f.id]! : '')}</dd>
            <dd>
              <a part="change-link" class="link" href="#f-${f.id}" @click=${(e: Event) => this.#onChange(f, e)}
                >${msg('Change')}<span class="visually-hidden"> ${label}</span></a
              >
            </dd>
          </div>`;
        })}
      </dl>
      <div part="actions" class="actions">
        <button
          part="send-button"
          class="button"
          type="button"
          aria-disabled=${this.sending ? 'true' : 'false'}
          @click=${() => void this.send()}
        >
          ${msg('Send securely')}
        </button>
        <button part="back-button" class="button button--secondary" type="button" @click=${this.#onBack}>${msg('Back to the form')}</button>
      </div>
      <p part="busy" class="busy" role="status">${this.sending ? msg('Sending your answers securely…') : nothing}</p>
    </section>`;
  }
}
