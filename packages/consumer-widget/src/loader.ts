/**
 * The script a brand adds to its chat page. It defines `<secure-form-invite>`, which opens secure
 * forms in a frame from the PCI origin. Served as an ES module (`secure-forms-loader.js`) and as a
 * classic script (`secure-forms-loader.iife.js`, global `SecureForms`).
 */
export { SecureFormInvite, SecureFormSubmittedEvent, SecureFormClosedEvent } from './components/secure-form-invite/secure-form-invite.js';
