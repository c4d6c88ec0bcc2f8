import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
      max-width: 40rem;
    }
    /* A left-to-right answer (a card number, a date) in a right-to-left page still lines up with
       its label, on the right; its characters keep their order. */
    :host(:dir(rtl)) input[dir='ltr'] {
      text-align: right;
    }
    form,
    .review {
      display: grid;
      gap: 1.25rem;
    }
    h2 {
      margin: 0;
      font-size: 1.25rem;
      line-height: 1.3;
    }
    .error-summary {
      border: 5px solid var(--_error);
      padding: 1rem;
    }
    .error-summary [role='alert'] {
      display: grid;
      gap: 0.5rem;
    }
    .error-summary ul {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 0.5rem;
    }
    .error-summary a {
      display: inline-block;
      min-height: 24px;
      color: var(--_error);
      font-weight: 700;
      text-decoration: underline;
    }
    .field {
      display: grid;
      gap: 0.25rem;
      margin: 0;
      padding: 0;
      border: 0;
      min-width: 0;
    }
    .field--error {
      border-inline-start: 5px solid var(--_error);
      padding-inline-start: 0.75rem;
    }
    label,
    legend {
      font-weight: 700;
      padding: 0;
    }
    .hint {
      margin: 0;
      color: var(--_text2);
    }
    .error-message {
      margin: 0;
      color: var(--_error);
      font-weight: 700;
    }
    input:not([type='radio'], [type='checkbox']),
    select {
      width: 100%;
      max-width: var(--secure-form-input-max-width, 24rem);
      min-height: 44px;
      padding: 0.375rem 0.5rem;
      border: 2px solid var(--_input-border);
      border-radius: 0;
      background: var(--_input-bg);
      color: inherit;
      font: inherit;
    }
    input.short {
      max-width: 8rem;
    }
    input[aria-invalid='true'],
    select[aria-invalid='true'] {
      border-color: var(--_error);
    }
    input:focus-visible,
    select:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 0;
      box-shadow: inset 0 0 0 2px var(--_input-border);
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1.5rem;
    }
    .choice {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-height: 44px;
    }
    .choice input {
      width: 24px;
      height: 24px;
      margin: 0;
      accent-color: var(--_input-border);
    }
    .choice label {
      font-weight: 400;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
    }
    dl {
      margin: 0;
      display: grid;
      gap: 0;
    }
    .row {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto;
      gap: 0.5rem;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--_border);
      align-items: baseline;
    }
    @media (max-width: 30rem) {
      .row {
        grid-template-columns: minmax(0, 1fr) auto;
      }
      .row dt {
        grid-column: 1 / -1;
      }
    }
    dt {
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .busy {
      margin: 0;
    }
  `,
];
