/**
 * `@secure-forms/agent-panel`: importing this module defines `<secure-form-panel>`.
 */
export * from './components/secure-form-panel/secure-form-panel.js';
export { default } from './components/secure-form-panel/secure-form-panel.js';
