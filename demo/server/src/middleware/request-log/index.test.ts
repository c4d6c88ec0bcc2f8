import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { requestLog } from './index.js';

describe('requestLog', () => {
  it('logs method, path and status, never the query or headers', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => void lines.push(s) } });
    const app = new Hono();
    app.use(requestLog(logger));
    app.get('/v1/x', (c) => c.json({ ok: true }));
    await app.request('/v1/x?secret=abc', { headers: { Authorization: 'OTK should-not-appear' } });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ method: 'GET', path: '/v1/x', status: 200 });
    expect(lines[0]).not.toContain('should-not-appear');
    expect(lines[0]).not.toContain('abc');
  });

  it('redacts secret keys even if someone logs them', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => void lines.push(s) } });
    logger.info({ password: 'p4ssw0rdp4ssw0rd', req: { headers: { authorization: 'OTK abc' } }, nested: { otk: 'k', token: 't' } }, 'x');
    expect(lines[0]).not.toContain('p4ssw0rd');
    expect(lines[0]).not.toContain('OTK abc');
    expect(JSON.parse(lines[0] ?? '{}').nested).toEqual({ otk: '[redacted]', token: '[redacted]' });
  });
});
