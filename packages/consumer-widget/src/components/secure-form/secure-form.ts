import { SecureForm } from './secure-form.component.js';

export * from './secure-form.component.js';
export default SecureForm;

// Once per page, by the first copy to run: a page may carry this script twice (added twice, or two
// versions), and a second define of a tag would throw. The second copy leaves the first in place.
if (!customElements.get('secure-form')) customElements.define('secure-form', SecureForm);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form': SecureForm;
  }
  interface HTMLElementEventMap {
    'secure-form-cancel': import('./secure-form.component.js').SecureFormCancelEvent;
  }
}
