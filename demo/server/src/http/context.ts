/**
 * What each request carries through the middleware: its audit context, filled in as the handler
 * learns who is acting on what, and written once at the end (success) or by the error handler.
 */
import type { Context } from 'hono';
import type { AuditAction, AuditSubjects } from '../audit/audit.js';

/** This request's audit line in the making: its action, its actor, what it concerns, and where it came from. */
export interface AuditContext extends AuditSubjects {
  action: AuditAction;
  actor: string;
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
