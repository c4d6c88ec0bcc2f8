/**
 * `POST /csp-report` on both origins: where browsers report Content-Security-Policy and Trusted
 * Types violations (`report-uri` in every document's policy). Each report becomes one warning in
 * the operational log with the directive, the page's path and what was blocked (an origin or a
 * keyword such as `inline`, `eval` or `trusted-types-sink`) — never the report's `script-sample`,
 * query strings or the referrer, which can quote what a page was handling.
 *
 * Accepts both the `report-uri` format (`application/csp-report`) and the Reporting API format
 * (`application/reports+json`). Always answers 204; bodies over 16 KiB are ignored, and at most
 * 100 reports a minute are logged (the rest are counted in the next logged line).
 */
import type { Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RateLimiter } from '../../accounts/rate-limit.js';
import { MemoryWindows } from '../../ephemeral/memory.js';
import type { Logger } from '../../logger.js';
import { CSP_REPORT_PATH } from '../security-headers/index.js';

export const CSP_REPORT_MAX_BYTES = 16 * 1024;
const LOG_LIMIT = 100;
const WINDOW_MS = 60_000;

export interface CspViolation {
  directive: string;
  /** The path of the document that violated its policy. */
  page: string;
  /** The blocked resource's origin, or a keyword (`inline`, `eval`, `trusted-types-sink`...). */
  blocked: string;
}

const text = (v: unknown, max = 100): string => (typeof v === 'string' ? v.slice(0, max) : '');

function pathOf(url: unknown): string {
  try {
    return new URL(text(url, 2000)).pathname.slice(0, 200);
  } catch {
    return '';
  }
}

function originOrKeyword(value: unknown): string {
  const raw = text(value, 2000);
  if (raw === '') return '';
  try {
    const url = new URL(raw);
    return url.origin === 'null' ? url.protocol.replace(/:$/, '') : url.origin;
  } catch {
    return /^[a-z][a-z-]{0,40}$/.test(raw) ? raw : 'other';
  }
}

/** The violations in a report body, reduced to what may be logged. */
export function parseCspReports(body: unknown): CspViolation[] {
  const reports = Array.isArray(body) ? body : [body];
  const out: CspViolation[] = [];
  for (const report of reports.slice(0, 20)) {
    if (typeof report !== 'object' || report === null) continue;
    const r = report as Record<string, unknown>;
    const legacy = r['csp-report'];
    if (typeof legacy === 'object' && legacy !== null) {
      const l = legacy as Record<string, unknown>;
      out.push({
        directive: text(l['effective-directive']) || text(l['violated-directive']).split(' ')[0] || 'unknown',
        page: pathOf(l['document-uri']),
        blocked: originOrKeyword(l['blocked-uri']),
      });
    } else if (r.type === 'csp-violation' && typeof r.body === 'object' && r.body !== null) {
      const b = r.body as Record<string, unknown>;
      out.push({
        directive: text(b.effectiveDirective) || 'unknown',
        page: pathOf(b.documentURL ?? r.url),
        blocked: originOrKeyword(b.blockedURL),
      });
    }
  }
  return out.map((v) => ({ ...v, directive: /^[a-z-]{1,60}$/.test(v.directive) ? v.directive : 'unknown' }));
}

/** Mount the report endpoint on an app of either origin. */
export function cspReportRoute<E extends Env>(app: Hono<E>, logger: Logger, clock: () => number = Date.now): void {
  // Per process on purpose: it bounds this process's own log lines, whatever other instances log.
  const limiter = new RateLimiter(new MemoryWindows(clock), clock);
  let suppressed = 0;
  const limit = bodyLimit({ maxSize: CSP_REPORT_MAX_BYTES, onError: (c) => c.body(null, 204) });
  app.post(CSP_REPORT_PATH, limit, async (c) => {
    const raw = await c.req.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return c.body(null, 204);
    }
    for (const violation of parseCspReports(body)) {
      if ((await limiter.hit('csp', LOG_LIMIT, WINDOW_MS)) > 0) {
        suppressed++;
        continue;
      }
      logger.warn({ csp: violation, ...(suppressed > 0 ? { suppressedBefore: suppressed } : {}) }, 'csp violation');
      suppressed = 0;
    }
    return c.body(null, 204);
  });
}
