/**
 * One audit line per request that did something worth recording: every refusal (with its error
 * code as the reason) and every success of a named action (login, send, open, view, submit,
 * retrieve...). Handlers only name the action and the ids; this writes the line.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBodySchema } from '@secure-forms/shared';
import type { AuditSink } from '../../audit/audit.js';
import type { AppEnv } from '../../http/context.js';

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
    sink.write({
      at: new Date(clock()).toISOString(),
      ...audit,
      outcome: status < 400 ? 'success' : 'refused',
      ...(reason ? { reason } : {}),
    });
  };
}
