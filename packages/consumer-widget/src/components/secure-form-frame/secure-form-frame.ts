import { SecureFormFrame } from './secure-form-frame.component.js';

export * from './secure-form-frame.component.js';
export default SecureFormFrame;

// Once per page, by the first copy to run: a page may carry this script twice (added twice, or two
// versions), and a second define of a tag would throw. The second copy leaves the first in place.
if (!customElements.get('secure-form-frame')) customElements.define('secure-form-frame', SecureFormFrame);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-frame': SecureFormFrame;
  }
}
