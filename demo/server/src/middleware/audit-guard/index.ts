/**
 * PCI DSS 10.x: a change the audit log cannot record must not happen. While the audit sink is
 * unwritable (a full disk, a denied directory, a stream error), every state-changing request is
 * refused with 503 SERVICE_BUSY and a next step; reads that change nothing (GET, HEAD, OPTIONS)
 * are still served. The sink recovers by itself, and requests pass again as soon as it has.
 */
import type { MiddlewareHandler } from 'hono';
import type { AuditSink } from '../../audit/audit.js';
import { refuse } from '../../http/errors.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Seconds a refused client is told to wait: the sink retries the disk every few seconds. */
export const AUDIT_RETRY_AFTER_SECONDS = 30;

/** Refuse state-changing requests with 503 while `sink` cannot write. */
export function auditGuard(sink: AuditSink): MiddlewareHandler {
  return (c, next) => {
    if (READS.has(c.req.method) || (sink.writable?.() ?? true)) return next();
    return Promise.resolve(
      refuse(
        c,
        'SERVICE_BUSY',
        'The service cannot record changes right now, so nothing was changed. Try again in a few minutes; if it goes on, tell the site operator that the audit log cannot be written.',
        503,
        { 'Retry-After': String(AUDIT_RETRY_AFTER_SECONDS) },
      ),
    );
  };
}
