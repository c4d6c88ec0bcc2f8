import { localized, msg } from '@lit/localize';
import type { Answers } from '@secure-forms/shared/envelope';
import { fieldTypeSpec } from '@secure-forms/shared/field-types';
import type { FieldDefinition, FormDefinition } from '@secure-forms/shared/form-rules';
import { validateField, type ValidationReason } from '@secure-forms/shared/validators';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { answersOf } from './answers.js';
import { groupCardDigits } from './card-input.js';
import { renderErrorSummary } from './error-summary.js';
import { renderField } from './field-templates.js';
import { renderReview } from './review-step.js';
import styles from './secure-form.styles.js';

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
 * @event {SecureFormCancelEvent} secure-form-cancel - The visitor chose Cancel. No detail. Bubbles and is composed (crosses shadow roots).
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
 * @cssproperty [--secure-form-error-color=#d4351c / #ff8a78] - Error summary, inline messages, invalid borders.
 * @cssproperty [--secure-form-input-border-color=#0b0c0c / #f3f2f1] - Input borders.
 * @cssproperty [--secure-form-input-max-width=24rem] - Widest an input grows.
 * @cssproperty [--secure-form-secondary-text-color=#484949 / #c8c8c8] - Hints.
 * @cssproperty [--secure-form-primary-color=#00703c] - Primary buttons.
 * @cssproperty [--secure-form-focus-color=#1d70b8 / #ffdd00] - Focus outline.
 * @cssproperty [--secure-form-link-color=#1d70b8 / #8cc2ff] - Change links.
 * @cssproperty [--secure-form-input-background=#ffffff / #0b0c0c] - Input background.
 * @cssproperty [--secure-form-border-color=#505a5f / #a0a6a9] - Review rows.
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
   * digits only; expiry as `MM/YY`) when the visitor chooses "Send securely". Resolve `true` once
   * sent (the form then clears every value), `false` when not (the form keeps them so the visitor
   * can try again). While it runs the send button is inert. Unset, sending does nothing.
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

  #value(id: string): string {
    return this.#values.get(id) ?? '';
  }

  #cardNumber(): string {
    const card = this.form?.fields.find((f) => f.type === 'card-number');
    return card ? this.#value(card.id) : '';
  }

  /** The answers as they would be sent (see `answersOf`). */
  #answers(): Answers {
    return answersOf(this.form?.fields ?? [], this.#values);
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
    const grouped = groupCardDigits(input.value, input.selectionStart ?? input.value.length);
    if (!grouped) return;
    input.value = grouped.value;
    if (document.activeElement === input || this.shadowRoot?.activeElement === input) input.setSelectionRange(grouped.caret, grouped.caret);
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
    const { fields } = this.form;
    if (this.step === 'review') {
      return renderReview(fields, this.#answers(), this.locale, {
        sending: this.sending,
        send: () => void this.send(),
        back: this.#onBack,
        change: this.#onChange,
      });
    }
    const cardNumber = this.#cardNumber();
    return html`<form part="form" novalidate @submit=${this.#onContinue}>
      ${renderErrorSummary(fields, this.errors, { locale: this.locale, cardNumber, focusField: (id) => this.#focusField(id) })}
      ${fields.map((field) =>
        renderField(field, {
          locale: this.locale,
          value: this.#value(field.id),
          reason: this.errors.get(field.id),
          cardNumber,
          onInput: (e) => this.#onInput(field, e),
        }),
      )}
      <div part="actions" class="actions">
        <button part="continue-button" class="button" type="submit">${msg('Continue')}</button>
        <button part="cancel-button" class="button button--secondary" type="button" @click=${this.#onCancel}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }
}
