import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, compileTrust, isSecureRequest, parseTrustedProxies, TrustedProxiesError } from '../../http/client.js';
import { code, openForm, sent } from '../../test/flows.js';
import { harness, PASSWORD } from '../../test/harness.js';
import { trustedProxies } from './index.js';

/** An app that answers with what the edge believes about the client. */
function echo(proxies: string[]) {
  const app = new Hono();
  app.use(trustedProxies(compileTrust(proxies)));
  app.get('/', (c) => c.json({ address: clientAddress(c), secure: isSecureRequest(c) }));
  return async (peer: string, headers: Record<string, string> = {}) => {
    const res = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: peer } } });
    return (await res.json()) as { address: string; secure: boolean };
  };
}

describe('the client behind trusted proxies', () => {
  it('parses and checks the setting, naming the entry that is wrong', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' 10.0.0.0/8, 192.168.1.10 ,fd00::/8,')).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '300.1.1.1']) {
      expect(() => parseTrustedProxies(`10.0.0.1,${bad}`)).toThrow(TrustedProxiesError);
      expect(() => parseTrustedProxies(bad)).toThrow(new RegExp(`"${bad.replace(/\./g, '\\.')}" is not an IP address or CIDR`));
    }
  });

  it('believes no header when no proxy is trusted', async () => {
    const ask = echo([]);
    expect(await ask('10.0.0.1', { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' })).toEqual({
      address: '10.0.0.1',
      secure: false,
    });
  });

  it('walks X-Forwarded-For from the right and stops at the first hop that is not a trusted proxy', async () => {
    const ask = echo(['10.0.0.0/8']);
    expect(await ask('10.0.0.1', { 'X-Forwarded-For': '203.0.113.7' })).toMatchObject({ address: '203.0.113.7' });
    // A forged entry left of the real client is not believed: 203.0.113.7 is not a proxy.
    expect(await ask('10.0.0.1', { 'X-Forwarded-For': '198.51.100.1, 203.0.113.7, 10.0.0.2' })).toMatchObject({
      address: '203.0.113.7',
    });
    // Sent straight to us from an untrusted address: the header is ignored.
    expect(await ask('203.0.113.9', { 'X-Forwarded-For': '10.0.0.5' })).toMatchObject({ address: '203.0.113.9' });
    // The RFC 7239 Forwarded header is not read.
    expect(await ask('10.0.0.1', { Forwarded: 'for=203.0.113.7' })).toMatchObject({ address: '10.0.0.1' });
  });

  it('believes X-Forwarded-Proto only from a trusted proxy', async () => {
    const ask = echo(['10.0.0.1']);
    expect(await ask('10.0.0.1', { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' })).toMatchObject({ secure: true });
    expect(await ask('10.0.0.1', { 'X-Forwarded-Proto': 'http' })).toMatchObject({ secure: false });
    expect(await ask('203.0.113.9', { 'X-Forwarded-Proto': 'https' })).toMatchObject({ secure: false });
  });
});

describe('per-address limits behind a trusted proxy', () => {
  const PROXY = '10.0.0.1';
  const via = (client: string) => ({ address: PROXY, headers: { 'X-Forwarded-For': client } });

  it('keeps 30 junk sign-ins from one client from blocking a correct sign-in by another client behind the same proxy', async () => {
    const h = await harness({ edge: { trustedProxies: [PROXY] } });
    const junk = [];
    for (let i = 0; i < 31; i++) {
      const res = await h.request('/v1/sessions', {
        ...via('203.0.113.66'),
        body: { siteId: 'demo', username: `nobody-${i}`, password: 'not-the-password-1' },
      });
      junk.push(await code(res));
    }
    expect(junk.at(-1)).toBe('RATE_LIMITED');
    const agent = await h.request('/v1/sessions', {
      ...via('203.0.113.8'),
      body: { siteId: 'demo', username: 'alice', password: PASSWORD },
    });
    expect(agent.status).toBe(201);
  }, 30_000);

  it('charges a forged X-Forwarded-For sent directly to the sender, not to the address it names', async () => {
    const h = await harness({ edge: { trustedProxies: [PROXY] } });
    for (let i = 0; i < 31; i++) {
      await h.request('/v1/sessions', {
        address: '198.51.100.9',
        headers: { 'X-Forwarded-For': '203.0.113.8' },
        body: { siteId: 'demo', username: `nobody-${i}`, password: 'not-the-password-1' },
      });
    }
    const victim = await h.request('/v1/sessions', {
      ...via('203.0.113.8'),
      body: { siteId: 'demo', username: 'alice', password: PASSWORD },
    });
    expect(victim.status).toBe(201);
    const forger = await h.request('/v1/sessions', {
      address: '198.51.100.9',
      headers: { 'X-Forwarded-For': '203.0.113.99' },
      body: { siteId: 'demo', username: 'alice', password: PASSWORD },
    });
    expect(await code(forger)).toBe('RATE_LIMITED');
  }, 30_000);

  it("keeps a guesser's junk keys from slowing a visitor behind the same proxy", async () => {
    // Slowed guesses are held until the end: a visitor request slowed with them would never finish.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const h = await harness({
      edge: { trustedProxies: [PROXY], otkGuard: { freeRefusals: 5, baseDelayMs: 1000, maxDelayMs: 1000 }, otkGuardSleep: () => held },
    });
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const junk = Array.from({ length: 12 }, async (_, i) =>
      h.request('/v1/forms/view', {
        method: 'POST',
        ...via('203.0.113.66'),
        headers: { ...via('203.0.113.66').headers, Authorization: `OTK ${'A'.repeat(42)}${i % 10}` },
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    const visitor = await h.request('/v1/forms/view', {
      method: 'POST',
      address: PROXY,
      headers: { 'X-Forwarded-For': '203.0.113.8', ...h.otk(opened.viewOtk) },
    });
    expect(visitor.status).toBe(200);
    // The visitor's own counted refusal (a mistyped key) is charged to the visitor, not the guesser:
    // answered at once, where one charged to the guesser's address would be held with its guesses.
    const mistyped = await h.request('/v1/forms/view', {
      method: 'POST',
      address: PROXY,
      headers: { 'X-Forwarded-For': '203.0.113.8', Authorization: `OTK ${'B'.repeat(42)}A` },
    });
    expect(await code(mistyped)).toBe('OTK_INVALID');
    release();
    await Promise.all(junk);
  });
});
