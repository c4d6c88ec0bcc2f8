/**
 * `/healthz` (the process serves) and `/readyz` (send it traffic) on the PCI origin, for load
 * balancers and orchestrators. Anonymous and outside `/v1`: no CORS, no audit line, no request body
 * read (one that comes with a body is refused), no request-log line (they are mounted before those middlewares: a probe every few seconds
 * from every balancer would drown the log; readiness changes are logged by health/readiness.ts).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../http/context.js';
import { errorBody } from '../http/errors.js';
import type { Readiness, ReadinessReport } from '../health/readiness.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const checkStatus = z.enum(['ok', 'failed', 'timed-out']).describe('answered; threw; did not answer within the timeout');
const checks = z.record(z.string(), checkStatus).describe('Each named check (`database`, …) and how it went; empty while shutting down.');

/** `/healthz`: the process serves. */
export const healthResponseSchema = z.object({ status: z.literal('ok') });
/** `/readyz` 200: every check answered. */
export const readyResponseSchema = z.object({ status: z.literal('ready'), checks });
/** `/readyz` 503: an ErrorBody (always `SERVICE_BUSY`), whether the instance is shutting down, and the checks. */
export const notReadyResponseSchema = z.object({
  error: z.object({ code: z.literal('SERVICE_BUSY'), message: z.string() }),
  stopping: z.boolean().describe('The instance is shutting down (graceful shutdown): it will not become ready again.'),
  checks,
});

const HEALTHY = JSON.stringify({ status: 'ok' } satisfies z.infer<typeof healthResponseSchema>);

function notReadyMessage(report: ReadinessReport): string {
  if (report.stopping) return 'This instance is shutting down. Send requests to another instance.';
  const failed = Object.entries(report.checks)
    .filter(([, status]) => status !== 'ok')
    .map(([name, status]) => `${name} (${status})`);
  return `This instance cannot serve requests: ${failed.join(', ')}. Send requests to another instance; it is checked again in a moment.`;
}

const WITH_BODY = JSON.stringify(errorBody('PAYLOAD_TOO_LARGE', 'A probe takes no request body. Send a GET without one.'));

/** A probe takes no body: one that comes with a body is refused unread (nothing to parse, nothing to buffer). */
const noBody: MiddlewareHandler = async (c, next) => {
  const length = c.req.header('content-length');
  if ((length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined) return c.body(WITH_BODY, 413, HEADERS);
  await next();
};

export function healthRoutes(app: Hono<AppEnv>, readiness: Readiness): void {
  // GET (and Hono's HEAD from it) only: a probe needs no more.
  app.get(HEALTH_PATH, noBody, (c) => c.body(HEALTHY, 200, HEADERS));
  app.get(READY_PATH, noBody, async (c) => {
    const report = await readiness.report();
    if (report.ready) {
      const ready: z.infer<typeof readyResponseSchema> = { status: 'ready', checks: report.checks };
      return c.body(JSON.stringify(ready), 200, HEADERS);
    }
    // SERVICE_BUSY: what every client already reads as "not now, try again", with which check failed.
    const body: z.infer<typeof notReadyResponseSchema> = {
      error: { code: 'SERVICE_BUSY', message: notReadyMessage(report) },
      stopping: report.stopping,
      checks: report.checks,
    };
    return c.body(JSON.stringify(body), 503, { ...HEADERS, 'Retry-After': '1' });
  });
}
