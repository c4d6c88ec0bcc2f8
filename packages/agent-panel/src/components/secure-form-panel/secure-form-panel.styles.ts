import { css } from 'lit';

/**
 * Colors are chosen for WCAG AA contrast on the default background (text 16:1, muted 9:1, accent
 * and danger above 6:1 against white). Override them together with care. The documented names
 * match the widget's (`--secure-form-panel-primary-color` like `--secure-form-primary-color`); the
 * rules below read the earlier names, which a page may still set (deprecated, see CHANGELOG.md).
 */
export const styles = css`
  :host {
    --secure-form-panel-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --secure-form-panel-color: var(--secure-form-panel-text-color, #1a1a1a);
    --secure-form-panel-muted-color: var(--secure-form-panel-secondary-text-color, #4a4a4a);
    --secure-form-panel-background: #ffffff;
    --secure-form-panel-surface: #f5f6f8;
    --secure-form-panel-border-color: #6b6f76;
    --secure-form-panel-accent: var(--secure-form-panel-primary-color, #0b57d0);
    --secure-form-panel-accent-text: var(--secure-form-panel-primary-text-color, #ffffff);
    --secure-form-panel-danger: var(--secure-form-panel-error-color, #b3261e);
    --secure-form-panel-off-the-record-background: #fde7e9;
    --secure-form-panel-off-the-record-color: #8c1d18;
    --secure-form-panel-focus-ring: var(--secure-form-panel-focus-color, #1a1a1a);
    --secure-form-panel-radius: var(--secure-form-panel-border-radius, 0.375rem);
    --secure-form-panel-gap: 0.75rem;

    display: block;
    color: var(--secure-form-panel-color);
    background: var(--secure-form-panel-background);
    font-family: var(--secure-form-panel-font-family);
    line-height: 1.5;
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
    margin: 0;
  }

  .base,
  .invitations,
  .invitation,
  .notice,
  .answer-list,
  .answer {
    display: grid;
    /* One column no wider than the panel: an auto track would grow to its widest item's
       min-content (the form list's longest title) and scroll sideways at 320 px (WCAG 1.4.10). */
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
  }

  .base {
    gap: var(--secure-form-panel-gap);
    padding: var(--secure-form-panel-gap);
    border: 1px solid var(--secure-form-panel-border-color);
    border-radius: var(--secure-form-panel-radius);
  }

  h3 {
    font-size: 1.125rem;
  }

  h4 {
    font-size: 1rem;
  }

  h5 {
    font-size: 0.9375rem;
  }

  .send,
  .actions,
  dd {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }

  label,
  dt {
    font-weight: 600;
  }

  select,
  button {
    min-height: 2.75rem;
    min-width: 2.75rem;
    padding: 0.25rem 0.5rem;
    font: inherit;
    color: var(--secure-form-panel-color);
    background: var(--secure-form-panel-background);
    border: 1px solid var(--secure-form-panel-border-color);
    border-radius: var(--secure-form-panel-radius);
  }

  button {
    padding: 0.25rem 0.875rem;
    cursor: pointer;
    color: var(--secure-form-panel-accent);
    border: 2px solid var(--secure-form-panel-accent);
  }

  button.primary,
  button[aria-pressed='true'] {
    color: var(--secure-form-panel-accent-text);
    background: var(--secure-form-panel-accent);
  }

  button[aria-disabled='true'],
  select:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }

  select:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--secure-form-panel-focus-ring);
    outline-offset: 2px;
  }

  .muted {
    color: var(--secure-form-panel-muted-color);
  }

  .problem,
  .notice,
  .invitation {
    padding: 0.5rem 0.75rem;
    background: var(--secure-form-panel-surface);
  }

  .warning {
    position: sticky;
    bottom: 0;
    border: 2px solid var(--secure-form-panel-off-the-record-color);
  }

  .problem {
    border-inline-start: 4px solid var(--secure-form-panel-danger);
  }

  .reason {
    color: var(--secure-form-panel-danger);
    font-weight: 600;
  }

  .invitations {
    list-style: none;
    padding: 0;
    gap: var(--secure-form-panel-gap);
  }

  .invitation {
    padding: 0.75rem;
    border-radius: var(--secure-form-panel-radius);
  }

  .notice {
    justify-items: start;
  }

  .trail {
    padding-inline-start: 1.25rem;
  }

  /* One row per answer: label, value, actions; below 20rem or so the value and actions wrap under the label. */
  .answer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    padding-block: 0.25rem;
    border-bottom: 1px solid var(--secure-form-panel-surface);
  }

  dt {
    flex: 1 1 8rem;
  }

  dd {
    flex: 2 1 12rem;
    justify-content: space-between;
  }

  button.icon {
    display: inline-grid;
    place-items: center;
    padding: 0;
  }

  .brand {
    font-family: var(--secure-form-panel-font-family);
    letter-spacing: normal;
  }

  .value {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 1.0625rem;
    letter-spacing: 0.05em;
  }

  .badge {
    display: inline-block;
    margin-inline-start: 0.5rem;
    padding: 0 0.5rem;
    border-radius: 999px;
    font-size: 0.8125rem;
  }

  .badge,
  .countdown {
    font-weight: 600;
    color: var(--secure-form-panel-off-the-record-color);
  }

  .badge {
    background: var(--secure-form-panel-off-the-record-background);
  }

  .countdown {
    font-variant-numeric: tabular-nums;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  @media (forced-colors: active) {
    button[aria-pressed='true'] {
      outline: 2px solid CanvasText;
    }
  }
`;
