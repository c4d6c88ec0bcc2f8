/**
 * The GOV.UK error summary after a failed Continue: "There is a problem" with a link to each field
 * in error, worded as its inline message. Its inner `role="alert"` element takes focus.
 */
import { msg } from '@lit/localize';
import type { FieldDefinition } from '@secure-forms/shared/form-rules';
import type { ValidationReason } from '@secure-forms/shared/validators';
import { html, nothing, type TemplateResult } from 'lit';
import { inLanguage, withLabel } from '../../messages/language.js';
import { validationMessage } from '../../messages/validation.js';

/**
 * The summary of `errors` (field id to reason), in the form's field order; nothing when there are
 * none. `focusField` moves focus to a field when its link is followed.
 */
export function renderErrorSummary(
  fields: readonly FieldDefinition[],
  errors: ReadonlyMap<string, ValidationReason>,
  { locale, cardNumber, focusField }: { locale: string; cardNumber: string; focusField: (id: string) => void },
): TemplateResult | typeof nothing {
  if (errors.size === 0) return nothing;
  return html`<div part="error-summary" class="error-summary">
    <div part="error-summary-alert" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
      <h2 part="error-summary-heading" id="error-summary-title">${msg('There is a problem')}</h2>
      <ul part="error-summary-list">
        ${fields
          .filter((f) => errors.has(f.id))
          .map(
            (f) =>
              html`<li>
                <a
                  href="#f-${f.id}"
                  @click=${(e: Event) => {
                    e.preventDefault();
                    focusField(f.id);
                  }}
                  >${withLabel((l) => validationMessage(f.type, errors.get(f.id)!, l, cardNumber), inLanguage(f.label, locale))}</a
                >
              </li>`,
          )}
      </ul>
    </div>
  </div>`;
}
