/**
 * The default theme as private custom properties (`--_*`), each a `--secure-form-*` property
 * with an AA-contrast fallback for light and for dark (`prefers-color-scheme: dark`) screens.
 * Plain CSS text, so the host-page loader can use it without lit.
 */

/**
 * `String.raw` under a name that says CSS, for CSS text that is not lit's `css` (the loader has no
 * lit): the text as written (raw, so a CSS escape such as `\2022` stays one), which both builds
 * minify as they do `css` templates (their minifier takes templates whose tag names CSS;
 * vite.frame.config.ts, vite.loader.config.ts).
 */
const cssText = String.raw;

/**
 * Shared by every element: theme, box sizing, the visually hidden utility, focus that is always
 * visible, and buttons at least 44 px tall (WCAG 2.5.8 asks for 24 px).
 */
export const baseCss = cssText`
  :host {
    --_text: var(--secure-form-text-color, #0b0c0c);
    --_text2: var(--secure-form-secondary-text-color, #484949);
    --_bg: var(--secure-form-background, #ffffff);
    --_input-bg: var(--secure-form-input-background, #ffffff);
    --_border: var(--secure-form-border-color, #505a5f);
    --_input-border: var(--secure-form-input-border-color, #0b0c0c);
    --_primary: var(--secure-form-primary-color, #00703c);
    --_primary-hover: var(--secure-form-primary-hover-color, #005a30);
    --_primary-text: var(--secure-form-primary-text-color, #ffffff);
    --_secondary: var(--secure-form-secondary-color, #f3f2f1);
    --_secondary-hover: var(--secure-form-secondary-hover-color, #dbdad9);
    --_error: var(--secure-form-error-color, #d4351c);
    --_success: var(--secure-form-success-color, #00703c);
    --_warning: var(--secure-form-warning-color, #594d00);
    --_warning-bg: var(--secure-form-warning-background, #fff7bf);
    --_focus: var(--secure-form-focus-color, #1d70b8);
    --_link: var(--secure-form-link-color, #1d70b8);
    --_link-hover: var(--secure-form-link-hover-color, #003078);
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--secure-form-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif);
    font-size: var(--secure-form-font-size, 1rem);
    line-height: 1.5;
  }
  /* Dark screens: only what differs from the light theme (the primary button's colours do not). */
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--secure-form-text-color, #f3f2f1);
      --_text2: var(--secure-form-secondary-text-color, #c8c8c8);
      --_bg: var(--secure-form-background, #1b1b1b);
      --_input-bg: var(--secure-form-input-background, #0b0c0c);
      --_border: var(--secure-form-border-color, #a0a6a9);
      --_input-border: var(--secure-form-input-border-color, #f3f2f1);
      --_secondary: var(--secure-form-secondary-color, #383838);
      --_secondary-hover: var(--secure-form-secondary-hover-color, #4a4a4a);
      --_error: var(--secure-form-error-color, #ff8a78);
      --_success: var(--secure-form-success-color, #5fd38d);
      --_warning: var(--secure-form-warning-color, #ffe066);
      --_warning-bg: var(--secure-form-warning-background, #332b00);
      --_focus: var(--secure-form-focus-color, #ffdd00);
      --_link: var(--secure-form-link-color, #8cc2ff);
      --_link-hover: var(--secure-form-link-hover-color, #c2dfff);
    }
  }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  .visually-hidden {
    position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important;
    padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important;
  }
  :focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
  [tabindex='-1']:focus { outline: none; }
  [tabindex='-1']:focus-visible { outline: 3px solid var(--_focus); }
  .button {
    display: inline-flex; align-items: center; justify-content: center; min-height: 44px; min-width: 44px;
    max-width: 100%; padding: 0.5rem 1rem; border: 2px solid transparent;
    border-radius: var(--secure-form-border-radius, 4px); background: var(--_primary); color: var(--_primary-text);
    font: inherit; font-weight: 600; cursor: pointer; text-align: center; overflow-wrap: anywhere;
  }
  .button:hover { background: var(--_primary-hover); }
  .button--secondary { background: var(--_secondary); color: var(--_text); border-color: var(--_border); }
  .button--secondary:hover { background: var(--_secondary-hover); }
  .button[aria-disabled='true'] { cursor: progress; opacity: 0.8; }
  .link {
    display: inline-block; min-height: 24px; min-width: 24px; color: var(--_link); text-decoration: underline;
    text-underline-offset: 0.15em; cursor: pointer;
  }
  .link:hover { color: var(--_link-hover); text-decoration-thickness: 3px; }
`;
