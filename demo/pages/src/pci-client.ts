/**
 * The demo pages' thin client for the PCI backend's conversation relay. Every response is parsed
 * with the shared schema; every refusal becomes a coded SecureFormsError.
 */
import { API_PREFIX, SecureFormsError, toSecureFormsError } from '@secure-forms/shared';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import * as z from 'zod/mini';

export interface DemoConfig {
  pciOrigin: string;
  siteId: string;
}

const demoConfigSchema = z.object({ pciOrigin: z.url(), siteId: z.string() });

export async function loadDemoConfig(): Promise<DemoConfig> {
  const response = await fetch('/demo-config.json');
  return demoConfigSchema.parse(await response.json());
}

export async function call<T>(
  config: DemoConfig,
  path: string,
  schema: z.ZodMiniType<T> | null,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${config.pciOrigin}${API_PREFIX}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? null : JSON.stringify(init.body),
    });
  } catch {
    throw new SecureFormsError('INTERNAL', 'The service could not be reached.');
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw toSecureFormsError(response.status, body);
  return (schema ? schema.parse(body) : body) as T;
}

/**
 * Follow a server-sent event stream that needs a credential header (EventSource cannot send one).
 * Reconnects after a drop until `signal` aborts.
 */
export async function followEvents<T>(
  url: string,
  headers: Record<string, string>,
  schema: z.ZodMiniType<T>,
  onEvent: (event: T) => void,
  signal: AbortSignal,
): Promise<void> {
  let delay = 500;
  while (!signal.aborted) {
    try {
      const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal });
      if (!response.ok || !response.body) {
        // 409: the conversation has ended; a stream for it will not open again.
        if (response.status === 401 || response.status === 403 || response.status === 404 || response.status === 409) return;
        throw new Error(`HTTP ${response.status}`);
      }
      delay = 500;
      const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      for await (const message of events) {
        const parsed = schema.safeParse(JSON.parse(message.data));
        if (parsed.success) onEvent(parsed.data);
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
