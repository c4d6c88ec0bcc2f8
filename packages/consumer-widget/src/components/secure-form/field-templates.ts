/**
 * One field of the edit step, by its type's control (`fieldTypeSpec`): a yes/no fieldset of
 * radios, a checkbox, a select, or a text input with the type's keyboard, autocomplete and
 * spelling settings. Its label, hint and inline error are tied to the control (`for`,
 * `aria-describedby`).
 */
import { msg, str } from '@lit/localize';
import { fieldTypeSpec, inputType } from '@secure-forms/shared/field-types';
import { isOffTheRecord, localize, type FieldDefinition } from '@secure-forms/shared/form-rules';
import type { ValidationReason } from '@secure-forms/shared/validators';
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { inLanguage, isFallback, withLabel } from '../../messages/language.js';
import { defaultHint, validationMessage } from '../../messages/validation.js';
import { leftToRight } from './answers.js';

/** What a field shows besides its definition. */
export interface FieldState {
  /** BCP 47 tag of the visitor's language. */
  readonly locale: string;
  /** The answer as typed (`yes`/`no` for yes/no, `true` for a ticked box). */
  readonly value: string;
  /** Why the last Continue refused it, if it did. */
  readonly reason: ValidationReason | undefined;
  /** The card number typed in the form, which some messages depend on (a CVV's length). */
  readonly cardNumber: string;
  /** Called on every input and change of the control. */
  readonly onInput: (event: Event) => void;
}

/** The field's control with its label, hint and inline error. Its control's id is `f-<field id>`. */
export function renderField(field: FieldDefinition, { locale, value, reason, cardNumber, onInput }: FieldState): TemplateResult {
  const id = `f-${field.id}`;
  const label = inLanguage(field.label, locale);
  const labelText = field.required ? label : withLabel((l) => msg(str`${l} (optional)`), label);
  const hint = field.hint ? inLanguage(field.hint, locale) : defaultHint(field.type);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = reason ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const hintEl = hint ? html`<p part="hint" class="hint" id=${hintId!}>${hint}</p>` : nothing;
  const errorEl = reason
    ? html`<p part="error-message" class="error-message" id=${errorId!}>
        <span class="visually-hidden">${msg('Error:')} </span
        >${withLabel((l) => validationMessage(field.type, reason, l, cardNumber), label)}
      </p>`
    : nothing;
  const invalid = reason ? 'true' : 'false';
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
      <select part="input" id=${id} name=${field.id} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} @change=${onInput}>
        <option value="" ?selected=${value === ''}>${msg('Choose an option')}</option>
        ${(field.options ?? []).map(
          // An <option> holds text only: an English fallback is marked on the option itself.
          (o) =>
            html`<option value=${o.value} lang=${ifDefined(isFallback(o.label, locale) ? 'en' : undefined)} ?selected=${value === o.value}>
              ${localize(o.label, locale)}
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
      dir=${ifDefined(leftToRight(field) ? 'ltr' : undefined)}
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
