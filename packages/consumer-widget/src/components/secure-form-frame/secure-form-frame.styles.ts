import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    .base {
      display: grid;
      gap: 1rem;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
      line-height: 1.25;
      overflow-wrap: anywhere;
    }
    p,
    h2 {
      margin: 0;
    }
    h2 {
      font-size: 1.25rem;
    }
    .deadline {
      color: var(--_text2);
    }
    .warning {
      display: grid;
      gap: 0.5rem;
      justify-items: start;
      padding: 0.75rem 1rem;
      border-inline-start: 5px solid var(--_warning);
      background: var(--_warning-bg);
      color: var(--_text);
    }
    .warning strong {
      color: var(--_warning);
    }
    .warning--empty {
      display: none;
    }
    .problem {
      display: grid;
      gap: 0.75rem;
      justify-items: start;
      padding: 0.75rem 1rem;
      border-inline-start: 5px solid var(--_error);
    }
    .done {
      padding: 1rem;
      border: 5px solid var(--_success);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
    }
  `,
];
