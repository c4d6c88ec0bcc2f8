export * from './errors.js';
export * from './form-definition.js';
export * from './validators.js';
export * from './masking.js';
export * from './envelope.js';
export * from './frame-protocol.js';
export * from './api.js';
export * from './formats.js';
