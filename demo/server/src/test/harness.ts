/**
 * A whole PCI app in memory for tests: in-memory SQLite, a clock the test moves, a memory audit
 * sink, a logger whose lines the test can read, and the demo site with its seeded operators.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONVERSATION_HEADER,
  SESSION_HEADER,
  loginResponseSchema,
  otkAuthorization,
  startConversationResponseSchema,
} from '@secure-forms/shared';
import { createApp, type AppPaths } from '../app.js';
import { memoryAuditSink } from '../audit/audit.js';
import { createLogger } from '../logger.js';
import { DEMO_OPERATORS, demoSite, Sites } from '../sites/index.js';

export const PASSWORD = 'correct7horse8battery';
export const BRAND = 'http://localhost:8080';
export const PCI = 'http://127.0.0.1:8443';

export async function harness(options: { paths?: Partial<AppPaths>; keepAliveMs?: number } = {}) {
  let now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const clock = () => now;
  const db: SqliteDatabase = new Database(':memory:');
  const audit = memoryAuditSink();
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const site = demoSite(8080);
  const empty = mkdtempSync(join(tmpdir(), 'sf-empty-'));
  const app = createApp({
    db,
    clock,
    config: { sites: new Sites([site]), pciOrigin: PCI, brandSiteId: 'demo', keepAliveMs: options.keepAliveMs ?? 60_000 },
    masterKey: randomBytes(32),
    paths: { frameDist: empty, pagesDist: empty, loaderDist: empty, panelDist: empty, ...options.paths },
    audit,
    logger,
  });
  for (const spec of DEMO_OPERATORS) await app.accounts.ensureOperator('demo', spec, PASSWORD, false);

  const request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    app.pci.request(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });

  async function login(username: string, password = PASSWORD) {
    const res = await request('/v1/sessions', { body: { siteId: 'demo', username, password } });
    return { res, body: res.status === 201 ? loginResponseSchema.parse(await res.json()) : ((await res.json()) as { error: { code: string } }) };
  }

  async function session(username: string): Promise<{ token: string; operatorId: string; headers: Record<string, string> }> {
    const { res, body } = await login(username);
    if (res.status !== 201 || !('token' in body)) throw new Error(`login ${username} failed`);
    return { token: body.token, operatorId: body.operator.id, headers: { [SESSION_HEADER]: body.token } };
  }

  async function startConversation(visitorName = 'Vera Visitor') {
    const res = await request('/v1/conversations', { body: { siteId: 'demo', visitorName } });
    const body = startConversationResponseSchema.parse(await res.json());
    return { id: body.conversationId, token: body.conversationToken, headers: { [CONVERSATION_HEADER]: body.conversationToken } };
  }

  return {
    app,
    /** Read the database directly (tests of what is stored). */
    all: (sql: string, ...params: unknown[]): unknown[] => db.prepare(sql).all(...params),
    get: (sql: string, ...params: unknown[]): unknown => db.prepare(sql).get(...params),
    audit,
    logLines,
    request,
    login,
    session,
    startConversation,
    otk: (key: string) => ({ Authorization: otkAuthorization(key) }),
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

/** Read an SSE response until a `data:` payload satisfies `match`; then close the stream. */
export async function readEvent<T>(response: Response, match: (payload: unknown) => T | undefined, timeoutMs = 2000): Promise<T> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((resolve) => setTimeout(() => resolve({ done: true, value: undefined }), deadline - Date.now())),
      ]);
      if (chunk.done) break;
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (!data) continue;
        const found = match(JSON.parse(data));
        if (found !== undefined) return found;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  throw new Error('no matching event');
}

/** Collect everything an SSE response sends (text) for `ms`, then close it. */
export async function collectStream(response: Response, ms: number): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const stop = Date.now() + ms;
  try {
    while (Date.now() < stop) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((resolve) => setTimeout(() => resolve({ done: true, value: undefined }), Math.max(0, stop - Date.now()))),
      ]);
      if (chunk.done) break;
      text += chunk.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}
