import { SecureFormInvite } from './secure-form-invite.component.js';

export * from './secure-form-invite.component.js';
export default SecureFormInvite;

// Once per page, by the first copy to run: a page may carry this script twice (added twice, or two
// versions), and a second define of a tag would throw. The second copy leaves the first in place.
if (!customElements.get('secure-form-invite')) customElements.define('secure-form-invite', SecureFormInvite);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-invite': SecureFormInvite;
  }
  interface HTMLElementEventMap {
    'secure-form-submitted': import('./secure-form-invite.events.js').SecureFormSubmittedEvent;
    'secure-form-closed': import('./secure-form-invite.events.js').SecureFormClosedEvent;
  }
}
