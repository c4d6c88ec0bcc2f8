/**
 * One audit line per request that did something worth recording: every refusal (with its error
 * code as the reason) and every success of a named action (login, send, open, view, submit,
 * retrieve...). Handlers only name the action and the ids; this writes the line, with the
 * client's address, and with the path and Origin cut to a bounded length (boundEntry).
 */
import type { MiddlewareHandler } from 'hono';
import { boundEntry, type AuditSink } from '../../audit/audit.js';
import { clientAddress } from '../../http/client.js';
import type { AppEnv } from '../../http/context.js';
import { isApiRefusal, refusalCode } from '../../http/errors.js';

/** Write one audit line per audited request to `sink`, stamped by `clock`. */
export function auditTrail(sink: AuditSink, clock: () => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    c.set('audit', {
      action: 'request',
      actor: 'anonymous',
      method: c.req.method,
      path: c.req.path,
      ...(origin ? { origin } : {}),
    });
    await next();
    const audit = c.get('audit');
    const status = c.res.status;
    if (status < 400 && audit.action === 'request') return;
    // The code comes from the refusal itself (http/errors.ts `refuse`), never from reading the
    // response body back: that costs a copy of every refusal, and raced with the headers set after it.
    const reason = status < 400 ? undefined : (refusalCode(c) ?? (isApiRefusal(c.error) ? c.error.code : `HTTP_${status}`));
    sink.write(
      boundEntry({
        at: new Date(clock()).toISOString(),
        ...audit,
        address: clientAddress(c),
        outcome: status < 400 ? 'success' : 'refused',
        ...(reason ? { reason } : {}),
      }),
    );
  };
}
