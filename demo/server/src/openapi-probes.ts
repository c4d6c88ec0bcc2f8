/**
 * The probes beside the `/v1` API in the OpenAPI document: `/healthz` and `/readyz` (routes/health.ts),
 * for load balancers and orchestrators. Anonymous GETs with no parameters; openapi.ts writes them out.
 */
import * as shared from '@secure-forms/shared';
import type * as z from 'zod';
import { healthResponseSchema, notReadyResponseSchema, readyResponseSchema } from './routes/health.js';

export interface Probe {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** By status: the schema's name in the document, the schema, what the answer means. */
  responses: Record<string, { name: string; schema: z.core.$ZodType; description: string }>;
}

/** A probe that comes with a request body is refused without reading it. */
const WITH_BODY = {
  name: 'ErrorBody',
  schema: shared.errorBodySchema,
  description: 'Refused: PAYLOAD_TOO_LARGE (a probe takes no request body)',
};

export const PROBES: readonly Probe[] = [
  {
    path: '/healthz',
    operationId: 'health',
    summary: 'Whether the process serves (liveness)',
    description: 'Answers without asking the database or Redis: restart the instance only when this fails.',
    responses: { '200': { name: 'HealthResponse', schema: healthResponseSchema, description: 'The process serves' }, '413': WITH_BODY },
  },
  {
    path: '/readyz',
    operationId: 'ready',
    summary: 'Whether to send this instance traffic (readiness)',
    description:
      'Runs each named check (the database; Redis when configured) with a short timeout; the result is reused for a second, ' +
      'so probes cost at most one round of checks a second. 503 from the moment the instance begins shutting down. ' +
      'The answer names the checks, never an address or what a driver said.',
    responses: {
      '200': { name: 'ReadyResponse', schema: readyResponseSchema, description: 'Every check answered' },
      '413': WITH_BODY,
      '503': {
        name: 'NotReadyResponse',
        schema: notReadyResponseSchema,
        description: 'A check failed or timed out, or the instance is shutting down',
      },
    },
  },
];
