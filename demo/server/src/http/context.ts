/**
 * What each request carries through the middleware: its audit context, filled in as the handler
 * learns who is acting on what, and written once at the end (success) or by the error handler.
 */
import type { Context } from 'hono';
import type { AuditAction } from '../audit/audit.js';

export interface AuditContext {
  action: AuditAction;
  actor: string;
  siteId?: string;
  conversationId?: string;
  invitationId?: string;
  submissionId?: string;
  targetOperatorId?: string;
  /** The API credential used or administered: its id, never its secret. */
  credentialId?: string;
  /** The webhook endpoint administered: its id. */
  webhookEndpointId?: string;
  /** A workspace token exchange: why it was refused, the registered key named, the SHA-256 of its jti; never the token. */
  workspaceToken?: { problem?: string; keyId?: string; jtiHash?: string };
  /** Fields a history view left out of what it re-sealed: a count and the form's own ids, never a value. */
  droppedFields?: { count: number; fieldIds: string[] };
  origin?: string;
  method: string;
  path: string;
}

export type AppEnv = { Variables: { audit: AuditContext } };
export type AppContext = Context<AppEnv>;

/** Name the action and add what is known about it to this request's audit context. */
export function auditAs(c: AppContext, action: AuditAction, details: Partial<Omit<AuditContext, 'action'>> = {}): AuditContext {
  const audit = c.get('audit');
  audit.action = action;
  Object.assign(audit, details);
  return audit;
}

export function note(c: AppContext, details: Partial<Omit<AuditContext, 'action'>>): void {
  Object.assign(c.get('audit'), details);
}
