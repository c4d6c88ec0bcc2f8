import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
      max-width: 100%;
    }
    .base {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem;
      border: 1px solid var(--secure-form-border-color, #505a5f);
      border-radius: var(--secure-form-border-radius, 4px);
      background: var(--secure-form-background, #ffffff);
    }
    .label {
      margin: 0;
      font-size: 0.875rem;
      font-weight: 600;
      color: var(--secure-form-secondary-text-color, #484949);
    }
    .title {
      margin: 0;
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    .status {
      margin: 0;
    }
    .status--done {
      color: var(--secure-form-success-color, #00703c);
      font-weight: 600;
    }
    .message:empty {
      display: none;
    }
    .message {
      display: grid;
      gap: 0.5rem;
      justify-items: start;
      padding: 0.5rem 0.75rem;
      border-left: 5px solid var(--secure-form-error-color, #d4351c);
    }
    .message p {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .frame {
      display: block;
      width: 100%;
      min-height: var(--secure-form-frame-min-height, 200px);
      height: var(--secure-form-frame-height, 480px);
      /* A shadow, not a border, so the height the frame reports is the height it gets. */
      border: 0;
      box-shadow: 0 0 0 1px var(--secure-form-border-color, #505a5f);
      border-radius: var(--secure-form-border-radius, 4px);
      background: #ffffff;
    }
  `,
];
