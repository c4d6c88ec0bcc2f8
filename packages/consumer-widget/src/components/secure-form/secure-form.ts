import { defineElement } from '@secure-forms/shared/custom-elements';
import { SecureForm } from './secure-form.component.js';

export * from './secure-form.component.js';
export default SecureForm;

defineElement('secure-form', SecureForm);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form': SecureForm;
  }
  interface HTMLElementEventMap {
    'secure-form-cancel': import('./secure-form.component.js').SecureFormCancelEvent;
  }
}
