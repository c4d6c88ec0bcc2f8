/**
 * A small HTTP client on node:http for the security suite. Unlike Playwright's request context it
 * can choose its source address on the loopback network (127.0.0.x), so an attacker, the load
 * generator and the visitors each have their own per-address rate limit, as separate machines
 * would; and it reads server-sent event streams as they arrive.
 */
import http from 'node:http';
import { createParser } from 'eventsource-parser';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Source address, e.g. 127.0.0.66. */
  from?: string;
  timeoutMs?: number;
}

const agents = new Map<string, http.Agent>();

/** Called with every answer (the load test counts statuses). */
export const observers = new Set<(answer: HttpAnswer, url: string) => void>();

function agentFor(from: string | undefined): http.Agent {
  const key = from ?? 'default';
  let agent = agents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64, ...(from ? { localAddress: from } : {}) });
    agents.set(key, agent);
  }
  return agent;
}

/** Drop every kept-alive connection (after the server was killed). */
export function resetConnections(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** One request; resolves with the answer, rejects when the connection fails (refused, reset). */
export function call(url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: agentFor(options.from) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? null : JSON.parse(text);
          } catch {
            json = null;
          }
          const answer = { status: response.statusCode ?? 0, headers: response.headers, text, json };
          for (const observe of observers) observe(answer, url);
          resolve(answer);
        });
      },
    );
    request.setTimeout(options.timeoutMs ?? 30_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** The stable error code of a refusal, or '' when the body is not one. */
export function codeOf(answer: HttpAnswer): string {
  const code = (answer.json as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : '';
}

/** A server-sent event stream being read: every byte kept (for the canary scan), payloads parsed. */
export class EventStream {
  raw = '';
  readonly events: unknown[] = [];
  status = 0;
  private request: http.ClientRequest | null = null;
  private waiters: { match: (e: unknown) => boolean; resolve: (e: unknown) => void }[] = [];
  readonly opened: Promise<number>;

  constructor(url: string, headers: Record<string, string>, from?: string) {
    this.opened = new Promise((resolve, reject) => {
      this.request = http.request(
        url,
        { headers: { Accept: 'text/event-stream', ...headers }, agent: false, ...(from ? { localAddress: from } : {}) },
        (response) => {
          this.status = response.statusCode ?? 0;
          resolve(this.status);
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => this.receive(chunk));
          response.on('error', () => undefined);
        },
      );
      this.request.on('error', (error) => (this.status === 0 ? reject(error) : undefined));
      this.request.end();
    });
  }

  private readonly parser = createParser({ onEvent: ({ data }) => this.receiveEvent(data) });

  private receive(chunk: string): void {
    this.raw += chunk;
    this.parser.feed(chunk);
  }

  private receiveEvent(data: string): void {
    if (!data) return;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(event)) return true;
      w.resolve(event);
      return false;
    });
  }

  /** The first event (already received or still to come) that `match` accepts. */
  waitFor<T>(match: (event: unknown) => boolean, timeoutMs = 15_000): Promise<T> {
    const found = this.events.find(match);
    if (found !== undefined) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const waiter = { match, resolve: resolve as (e: unknown) => void };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('no matching event on the stream'));
      }, timeoutMs).unref();
    });
  }

  close(): void {
    this.request?.destroy();
    this.request = null;
  }
}
