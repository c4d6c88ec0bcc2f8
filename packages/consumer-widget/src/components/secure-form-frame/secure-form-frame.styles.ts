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
    p {
      margin: 0;
    }
    .deadline {
      color: var(--secure-form-secondary-text-color, #484949);
    }
    .problem {
      display: grid;
      gap: 0.75rem;
      justify-items: start;
      padding: 0.75rem 1rem;
      border-left: 5px solid var(--secure-form-error-color, #d4351c);
    }
    .done {
      padding: 1rem;
      border: 5px solid var(--secure-form-success-color, #00703c);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
    }
  `,
];
