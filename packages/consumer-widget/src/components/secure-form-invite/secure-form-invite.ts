import { defineElement } from '@secure-forms/shared/custom-elements';
import { SecureFormInvite } from './secure-form-invite.component.js';

export * from './secure-form-invite.component.js';
export default SecureFormInvite;

// A brand page may add the loader script twice; the second copy finds the tag defined.
defineElement('secure-form-invite', SecureFormInvite);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-invite': SecureFormInvite;
  }
  interface HTMLElementEventMap {
    'secure-form-submitted': import('./secure-form-invite.component.js').SecureFormSubmittedEvent;
    'secure-form-closed': import('./secure-form-invite.component.js').SecureFormClosedEvent;
  }
}
