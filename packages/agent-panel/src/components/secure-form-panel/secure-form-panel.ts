/**
 * Defines `<secure-form-panel>` (the component module only declares the class) and types its tag
 * and events for TypeScript hosts.
 */
import { defineElement } from '@secure-forms/shared/custom-elements';
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

defineElement('secure-form-panel', SecureFormPanel);

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
