/**
 * The demo pages' thin client for the PCI backend's conversation relay: shared's `requestJson`
 * with the PCI origin and a JSON body. Every response is parsed with the shared schema; every
 * failure becomes a coded SecureFormsError; a request whose `signal` aborts rejects with the abort
 * itself. The event streams use shared's `followEventStream`.
 */
import { API_PREFIX, requestJson, type ResponseSchema } from '@secure-forms/shared';
import * as z from 'zod/mini';

export interface DemoConfig {
  pciOrigin: string;
  siteId: string;
}

const demoConfigSchema = z.object({ pciOrigin: z.url(), siteId: z.string() });

export function loadDemoConfig(): Promise<DemoConfig> {
  return requestJson('/demo-config.json', {}, demoConfigSchema);
}

export function call<T>(
  config: DemoConfig,
  path: string,
  schema: ResponseSchema<T>,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  return requestJson(
    `${config.pciOrigin}${API_PREFIX}${path}`,
    {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    },
    schema,
  );
}
