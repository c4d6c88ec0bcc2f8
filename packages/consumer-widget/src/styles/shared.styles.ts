import { css } from 'lit';

/**
 * Styles every Secure Forms element shares: box sizing, the visually hidden utility, visible
 * focus, and buttons at least 44 px tall (WCAG 2.5.8 asks for 24 px). Colours meet AA contrast
 * on white; each can be themed through a `--secure-form-*` custom property.
 */
export const sharedStyles = css`
  :host {
    box-sizing: border-box;
    color: var(--secure-form-text-color, #0b0c0c);
    font-family: var(--secure-form-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif);
    font-size: var(--secure-form-font-size, 1rem);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: 0 !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    border: 0 !important;
    white-space: nowrap !important;
  }
  :focus-visible {
    outline: 3px solid var(--secure-form-focus-color, #1d70b8);
    outline-offset: 2px;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--secure-form-focus-color, #1d70b8);
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1rem;
    border: 2px solid transparent;
    border-radius: var(--secure-form-border-radius, 4px);
    background: var(--secure-form-primary-color, #00703c);
    color: var(--secure-form-primary-text-color, #ffffff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .button:hover {
    background: var(--secure-form-primary-hover-color, #005a30);
  }
  .button--secondary {
    background: var(--secure-form-secondary-color, #f3f2f1);
    color: var(--secure-form-text-color, #0b0c0c);
    border-color: var(--secure-form-border-color, #505a5f);
  }
  .button--secondary:hover {
    background: var(--secure-form-secondary-hover-color, #dbdad9);
  }
  .button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.8;
  }
  .link {
    display: inline-block;
    min-height: 24px;
    color: var(--secure-form-link-color, #1d70b8);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    cursor: pointer;
  }
  .link:hover {
    color: var(--secure-form-link-hover-color, #003078);
    text-decoration-thickness: 3px;
  }
`;
