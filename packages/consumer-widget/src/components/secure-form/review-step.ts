/**
 * The review step (WCAG 3.3.4): every answer with a Change link, sensitive values masked, then
 * "Send securely" and "Back to the form".
 */
import { msg } from '@lit/localize';
import type { Answers } from '@secure-forms/shared/envelope';
import { fieldTypeSpec } from '@secure-forms/shared/field-types';
import { isOffTheRecord, type FieldDefinition } from '@secure-forms/shared/form-rules';
import { maskCardNumber, maskSecret } from '@secure-forms/shared/masking';
import { html, nothing, type TemplateResult } from 'lit';
import { inLanguage } from '../../messages/language.js';
import { leftToRight } from './answers.js';

/** What the review step does besides showing the answers. */
export interface ReviewActions {
  /** The answers are being sent: the send button is inert and "Sending…" shows. */
  readonly sending: boolean;
  /** "Send securely". */
  readonly send: () => void;
  /** "Back to the form". */
  readonly back: () => void;
  /** A field's Change link. */
  readonly change: (field: FieldDefinition, event: Event) => void;
}

/**
 * An answer as the review shows it: a card number masked to its last four, secrets hidden (with
 * a visually hidden "Hidden for your security"), choices in words, digits left to right.
 */
export function reviewValue(field: FieldDefinition, value: string, locale: string): TemplateResult {
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
    return html`${option ? inLanguage(option.label, locale) : value}`;
  }
  return leftToRight(field) ? html`<span dir="ltr">${value}</span>` : html`${value}`;
}

/** The review step of `fields` with `answers` (as they would be sent); its heading takes focus when it opens. */
export function renderReview(
  fields: readonly FieldDefinition[],
  answers: Answers,
  locale: string,
  { sending, send, back, change }: ReviewActions,
): TemplateResult {
  return html`<section part="review" class="review" aria-labelledby="review-heading">
    <h2 part="review-heading" id="review-heading" tabindex="-1">${msg('Check your answers before sending')}</h2>
    <dl part="review-list">
      ${fields.map((f) => {
        const label = inLanguage(f.label, locale);
        return html`<div part="review-row" class="row">
          <dt>${label}</dt>
          <dd>${reviewValue(f, Object.hasOwn(answers, f.id) ? answers[f.id]! : '', locale)}</dd>
          <dd>
            <a part="change-link" class="link" href="#f-${f.id}" @click=${(e: Event) => change(f, e)}
              >${msg('Change')}<span class="visually-hidden"> ${label}</span></a
            >
          </dd>
        </div>`;
      })}
    </dl>
    <div part="actions" class="actions">
      <button part="send-button" class="button" type="button" aria-disabled=${sending ? 'true' : 'false'} @click=${send}>
        ${msg('Send securely')}
      </button>
      <button part="back-button" class="button button--secondary" type="button" @click=${back}>${msg('Back to the form')}</button>
    </div>
    <p part="busy" class="busy" role="status">${sending ? msg('Sending your answers securely…') : nothing}</p>
  </section>`;
}
