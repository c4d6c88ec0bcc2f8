import { SecureFormFrame } from './secure-form-frame.component.js';

export * from './secure-form-frame.component.js';
export default SecureFormFrame;

customElements.define('secure-form-frame', SecureFormFrame);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-frame': SecureFormFrame;
  }
}
