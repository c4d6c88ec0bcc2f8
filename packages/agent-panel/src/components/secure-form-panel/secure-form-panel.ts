/**
 * Defines `<secure-form-panel>` (the component module only declares the class) and types its tag
 * and events for TypeScript hosts.
 */
import {
  SecureFormPanel,
  type SecureFormPanelClearedEvent,
  type SecureFormPanelErrorEvent,
  type SecureFormPanelSentEvent,
  type SecureFormPanelStatusEvent,
  type SecureFormPanelSubmittedEvent,
} from './secure-form-panel.component.js';

export * from './secure-form-panel.component.js';
export default SecureFormPanel;

// Once per page, by the first copy to run: a page may carry this script twice (added twice, or two
// versions), and a second define of a tag would throw. The second copy leaves the first in place.
if (!customElements.get('secure-form-panel')) customElements.define('secure-form-panel', SecureFormPanel);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-panel': SecureFormPanel;
  }
  interface HTMLElementEventMap {
    'secure-form-panel-sent': SecureFormPanelSentEvent;
    'secure-form-panel-status': SecureFormPanelStatusEvent;
    'secure-form-panel-submitted': SecureFormPanelSubmittedEvent;
    'secure-form-panel-error': SecureFormPanelErrorEvent;
    'secure-form-panel-cleared': SecureFormPanelClearedEvent;
  }
}
