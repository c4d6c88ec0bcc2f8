/**
 * Defines `<secure-form-panel>` (the `@customElement` decorator registers it on import) and
 * types its tag and events for TypeScript hosts.
 */
import {
  SecureFormPanel,
  type SecureFormClearedDetail,
  type SecureFormErrorDetail,
  type SecureFormSentDetail,
  type SecureFormStatusDetail,
  type SecureFormSubmittedDetail,
} from './secure-form-panel.component.js';

export * from './secure-form-panel.component.js';
export default SecureFormPanel;

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-panel': SecureFormPanel;
  }
  interface HTMLElementEventMap {
    'secure-form-sent': CustomEvent<SecureFormSentDetail>;
    'secure-form-status': CustomEvent<SecureFormStatusDetail>;
    'secure-form-submitted': CustomEvent<SecureFormSubmittedDetail>;
    'secure-form-error': CustomEvent<SecureFormErrorDetail>;
    'secure-form-cleared': CustomEvent<SecureFormClearedDetail>;
  }
}
