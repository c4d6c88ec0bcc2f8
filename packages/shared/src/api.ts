/**
 * The PCI backend's HTTP API, `/v1`: every request and response body as a schema. The backend
 * parses each request with these before any use; the widgets parse each response.
 *
 * Credentials, one header each, so that `Authorization` carries one-time keys only:
 * - `Authorization: OTK <key>`            a one-time key (view, submit, retrieve)
 * - `Secure-Forms-Session: <token>`       an operator's (agent's) session
 * - `Secure-Forms-Conversation: <token>`  a visitor's conversation token
 *
 * One file per topic under `api/`; this module is their one public entry (`@secure-forms/shared/api`).
 */
export * from './api/common.js';
export * from './api/sessions.js';
export * from './api/passkeys.js';
export * from './api/token-exchange.js';
export * from './api/sso.js';
export * from './api/forms.js';
export * from './api/conversations.js';
export * from './api/invitations.js';
export * from './api/submissions.js';
export * from './api/events.js';
export * from './api/history.js';
