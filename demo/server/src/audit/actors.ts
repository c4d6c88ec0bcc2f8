/**
 * Who an audit line names as its actor: the formats of the `actor` field, one place for the HTTP
 * layer and the domain alike (the domain may not import http/).
 */

/** An operator, by id. */
export const operatorActor = (id: string) => `operator:${id}`;
/** The visitor of a conversation. */
export const visitorActor = (conversationId: string) => `visitor:${conversationId}`;
/** The brand's chat server, by the id of the API credential it presented. */
export const credentialActor = (credentialId: string) => `credential:${credentialId}`;
