import { defineElement } from '@secure-forms/shared/custom-elements';
import { SecureFormFrame } from './secure-form-frame.component.js';

export * from './secure-form-frame.component.js';
export default SecureFormFrame;

defineElement('secure-form-frame', SecureFormFrame);

declare global {
  interface HTMLElementTagNameMap {
    'secure-form-frame': SecureFormFrame;
  }
}
