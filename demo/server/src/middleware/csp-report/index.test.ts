import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { cspReportRoute, parseCspReports } from './index.js';

function app() {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (s: string) => void lines.push(s) } });
  const hono = new Hono();
  cspReportRoute(hono, logger);
  return { hono, lines };
}

const legacy = {
  'csp-report': {
    'document-uri': 'http://localhost:8080/agent?conversation=abc#x',
    referrer: 'http://localhost:8080/?q=secret',
    'violated-directive': 'require-trusted-types-for',
    'effective-directive': 'require-trusted-types-for',
    'blocked-uri': 'trusted-types-sink',
    'script-sample': 'Element innerHTML|<b>4111 1111 1111 1111</b>',
    'original-policy': "default-src 'none'",
  },
};

describe('the CSP report endpoint', () => {
  it('logs the directive, the page path and what was blocked: never the sample, query or referrer', async () => {
    const { hono, lines } = app();
    const res = await hono.request('/csp-report', {
      method: 'POST',
      headers: { 'Content-Type': 'application/csp-report' },
      body: JSON.stringify(legacy),
    });
    expect(res.status).toBe(204);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'csp violation',
      csp: { directive: 'require-trusted-types-for', page: '/agent', blocked: 'trusted-types-sink' },
    });
    // The line's own timestamp (epoch milliseconds) can hold 4111 by chance: it is left out.
    const logged = lines[0]!.replace(/"time":\d+,/, '');
    for (const secret of ['4111', 'conversation=abc', 'q=secret', 'innerHTML']) expect(logged).not.toContain(secret);
  });

  it('reads the Reporting API format too, and keeps only the origin of a blocked URL', () => {
    expect(
      parseCspReports([
        {
          type: 'csp-violation',
          url: 'http://127.0.0.1:8443/frame/?site=demo',
          body: {
            documentURL: 'http://127.0.0.1:8443/frame/?site=demo',
            effectiveDirective: 'script-src-elem',
            blockedURL: 'https://evil.example/x.js?card=4111',
          },
        },
        { type: 'deprecation', body: {} },
      ]),
    ).toEqual([{ directive: 'script-src-elem', page: '/frame/', blocked: 'https://evil.example' }]);
  });

  it('answers 204 to anything else and logs nothing', async () => {
    const { hono, lines } = app();
    for (const body of ['not json', '{}', JSON.stringify({ 'csp-report': 'x' }), 'x'.repeat(20_000)]) {
      expect((await hono.request('/csp-report', { method: 'POST', body })).status).toBe(204);
    }
    expect(lines).toEqual([]);
  });
});
