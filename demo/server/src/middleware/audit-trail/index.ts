/**
 * One audit line per request that did something worth recording: every refusal (with its error
 * code as the reason) and every success of a named action (login, send, open, view, submit,
 * retrieve...). Handlers only name the action and the ids; this writes the line, with the
 * client's address, and with the path and Origin cut to a bounded length (boundEntry).
 */
import type { MiddlewareHandler } from 'hono';
import { errorBodySchema } from '@secure-forms/shared';
import { boundEntry, type AuditSink } from '../../audit/audit.js';
import { clientAddress } from '../../http/client.js';
import type { AppEnv } from '../../http/context.js';

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
    let reason: string | undefined;
    if (status >= 400) {
      const body: unknown = await c.res
        .clone()
        .json()
        .catch(() => null);
      const parsed = errorBodySchema.safeParse(body);
      reason = parsed.success ? parsed.data.error.code : `HTTP_${status}`;
    }
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
