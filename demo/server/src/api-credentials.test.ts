/**
 * API credentials of a brand's chat server: created and revoked by an admin, shown once and stored
 * hashed, scoped to one site, refused from a browser, audited by id, rate limited per credential,
 * and rotated without downtime (two active at once).
 */
import { apiCredentialListResponseSchema, bearerAuthorization } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { sha256 } from './crypto/tokens.js';
import { demoSite } from './sites/index.js';
import { code } from './test/flows.js';
import { BRAND, harness } from './test/harness.js';
import { createCredential, register } from './test/integration.js';

describe('API credentials', () => {
  it('are created by an admin, shown once, and stored only as the hash of their secret', async () => {
    const h = await harness();
    const created = await createCredential(h, 'chat server A');
    expect(created).toMatchObject({ siteId: 'demo', label: 'chat server A', revokedAt: null });
    const [, id, secret] = /^sfk\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(created.credential)!;
    expect(id).toBe(created.id);
    const row = await h.get('SELECT * FROM api_credentials WHERE id = ?', id);
    expect(row).toMatchObject({ site_id: 'demo', secret_hash: sha256(secret!) });
    // Nowhere in the database, the audit or the log: not the secret, not the credential.
    for (const table of await h.tables()) {
      expect(JSON.stringify(await h.all(`SELECT * FROM ${table}`)), table).not.toContain(secret);
    }
    expect(JSON.stringify(h.audit.entries)).not.toContain(secret);
    expect(h.logLines.join('\n')).not.toContain(secret);
    expect(h.audit.entries.find((e) => e.action === 'api-credential.create')).toMatchObject({ outcome: 'success', credentialId: id });
    // The list never holds the credential again.
    const ada = await h.session('ada');
    const list = apiCredentialListResponseSchema.parse(await (await h.request('/v1/api-credentials', { headers: ada.headers })).json());
    expect(list.credentials).toEqual([{ id, siteId: 'demo', label: 'chat server A', createdAt: created.createdAt, revokedAt: null }]);
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it('are managed by admins only', async () => {
    const h = await harness();
    const created = await createCredential(h);
    for (const who of ['alice', 'max']) {
      const s = await h.session(who);
      expect(await code(await h.request('/v1/api-credentials', { headers: s.headers, body: { label: 'x' } })), who).toBe('FORBIDDEN');
      expect(await code(await h.request('/v1/api-credentials', { headers: s.headers })), who).toBe('FORBIDDEN');
      expect(await code(await h.request(`/v1/api-credentials/${created.id}/revoke`, { method: 'POST', headers: s.headers })), who).toBe(
        'FORBIDDEN',
      );
    }
    expect(await code(await h.request('/v1/api-credentials', { body: { label: 'x' } }))).toBe('UNAUTHENTICATED');
  });

  it('authenticate the brand server, audited by credential id, never by the secret', async () => {
    const h = await harness();
    const created = await createCredential(h);
    const conversation = await register(h, created.headers, 'ext-1');
    expect(conversation.status).toBe(201);
    const line = h.audit.entries.find((e) => e.action === 'integration.register');
    expect(line).toMatchObject({ outcome: 'success', actor: `credential:${created.id}`, credentialId: created.id, siteId: 'demo' });
    expect(JSON.stringify(h.audit.entries)).not.toContain(created.credential.split('.')[2]);
  });

  it('are refused from a browser: any Origin (even a brand origin of the site) or a cookie', async () => {
    const h = await harness();
    const created = await createCredential(h);
    const body = { externalId: 'ext-1' };
    const browsers: Record<string, string>[] = [{ Origin: BRAND }, { Origin: 'https://evil.example' }, { Cookie: 'a=b' }];
    for (const extra of browsers) {
      const res = await h.request('/v1/integration/conversations', { headers: { ...created.headers, ...extra }, body });
      expect(res.status, JSON.stringify(extra)).toBe(403);
      expect(await code(res)).toBe('ORIGIN_NOT_ALLOWED');
    }
    expect(await h.all('SELECT * FROM external_conversations')).toEqual([]);
  });

  it('refuse a missing, malformed, unknown or wrong credential with a Bearer challenge', async () => {
    const h = await harness();
    const created = await createCredential(h);
    const [, id] = created.credential.split('.');
    const wrongSecret = `sfk.${id}.${'A'.repeat(43)}`;
    for (const authorization of [undefined, 'Bearer', 'Bearer nope', `Basic ${created.credential}`, bearerAuthorization(wrongSecret)]) {
      const res = await h.request('/v1/integration/conversations', {
        headers: authorization ? { Authorization: authorization } : {},
        body: { externalId: 'ext-1' },
      });
      expect(res.status, authorization).toBe(401);
      expect(await code(res)).toBe('UNAUTHENTICATED');
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="secure-forms"');
    }
    // A session is not a credential of this API.
    const ada = await h.session('ada');
    expect(await code(await h.request('/v1/integration/conversations', { headers: ada.headers, body: { externalId: 'x' } }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('rotate without downtime: two work at once, and revoking one leaves the other working', async () => {
    const h = await harness();
    const old = await createCredential(h, 'old');
    const fresh = await createCredential(h, 'new');
    const a = await register(h, old.headers, 'ext-1');
    const b = await register(h, fresh.headers, 'ext-1');
    expect(b.conversationId).toBe(a.conversationId);
    const ada = await h.session('ada');
    const revoked = await h.request(`/v1/api-credentials/${old.id}/revoke`, { method: 'POST', headers: ada.headers });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).toBe(new Date(h.now()).toISOString());
    expect(await code(await h.request(`/v1/integration/conversations/${a.id}`, { headers: old.headers }))).toBe('UNAUTHENTICATED');
    expect((await h.request(`/v1/integration/conversations/${a.id}`, { headers: fresh.headers })).status).toBe(200);
    expect(h.audit.entries.find((e) => e.action === 'api-credential.revoke')).toMatchObject({ outcome: 'success', credentialId: old.id });
    // Revoking again keeps the first time; an unknown id is not found.
    h.advance(1000);
    const again = await h.request(`/v1/api-credentials/${old.id}/revoke`, { method: 'POST', headers: ada.headers });
    expect(((await again.json()) as { revokedAt: string }).revokedAt).toBe(new Date(h.now() - 1000).toISOString());
    expect(await code(await h.request(`/v1/api-credentials/${'x'.repeat(16)}/revoke`, { method: 'POST', headers: ada.headers }))).toBe(
      'NOT_FOUND',
    );
  });

  it('audit every use during a rotation: each credential by its own id, and the revoked one refused by its id', async () => {
    const h = await harness();
    const old = await createCredential(h, 'old');
    const fresh = await createCredential(h, 'new');
    const conversation = await register(h, old.headers, 'ext-rotation');
    expect((await h.request(`/v1/integration/conversations/${conversation.id}`, { headers: fresh.headers })).status).toBe(200);
    const ada = await h.session('ada');
    expect((await h.request(`/v1/api-credentials/${old.id}/revoke`, { method: 'POST', headers: ada.headers })).status).toBe(200);
    expect(await code(await h.request(`/v1/integration/conversations/${conversation.id}`, { headers: old.headers }))).toBe(
      'UNAUTHENTICATED',
    );
    const uses = h.audit.entries.filter((e) => e.action.startsWith('integration.'));
    expect(uses.map((e) => [e.action, e.outcome, e.credentialId])).toEqual([
      ['integration.register', 'success', old.id],
      ['integration.get', 'success', fresh.id],
      ['integration.get', 'refused', old.id],
    ]);
    expect(uses[2]).toMatchObject({ reason: 'UNAUTHENTICATED' });
    const everything = JSON.stringify(h.audit.entries) + h.logLines.join('\n');
    for (const c of [old, fresh]) expect(everything).not.toContain(c.credential.split('.')[2]);
  });

  it('act for their own site only: a conversation of another site is not found', async () => {
    const other = { ...demoSite(8080), id: 'other', brandOrigins: ['http://localhost:9090'], operators: [] };
    const h = await harness({ otherSites: [other] });
    const created = await createCredential(h);
    // A credential of the other site, as its admin would have made it.
    const secret = 'B'.repeat(43);
    await h.app.store.insertApiCredential({
      id: 'otherSiteCred001',
      siteId: 'other',
      label: 'other',
      secretHash: sha256(secret),
      createdBy: 'someone',
      createdAt: h.now(),
      revokedAt: null,
    });
    const otherHeaders = { Authorization: bearerAuthorization(`sfk.otherSiteCred001.${secret}`) };
    const mine = await register(h, created.headers, 'ext-1');
    const theirs = await register(h, otherHeaders, 'ext-1');
    // The same external id on two sites: two conversations.
    expect(theirs.conversationId).not.toBe(mine.conversationId);
    for (const path of ['', '/invitations']) {
      expect(await code(await h.request(`/v1/integration/conversations/${mine.id}${path}`, { headers: otherHeaders }))).toBe('NOT_FOUND');
    }
    for (const action of ['assign', 'transfer']) {
      const res = await h.request(`/v1/integration/conversations/${mine.id}/${action}`, {
        headers: otherHeaders,
        body: { agentId: 'brand-agent-alice' },
      });
      expect(await code(res), action).toBe('NOT_FOUND');
    }
    expect(await code(await h.request(`/v1/integration/conversations/${mine.id}/close`, { method: 'POST', headers: otherHeaders }))).toBe(
      'NOT_FOUND',
    );
    // A demo conversation started by a visitor (not registered) is not the server's either.
    const visitor = await h.startConversation();
    expect(await code(await h.request(`/v1/integration/conversations/${visitor.id}`, { headers: created.headers }))).toBe('NOT_FOUND');
  });

  it('are rate limited per credential: past the limit 429 with Retry-After, other credentials unaffected', async () => {
    const h = await harness({ site: (s) => ({ ...s, serverApiRateLimit: { windowSeconds: 60, perCredential: 3 } }) });
    const a = await createCredential(h, 'a');
    const b = await createCredential(h, 'b');
    const conversation = await register(h, a.headers, 'ext-1');
    const get = (headers: Record<string, string>) => h.request(`/v1/integration/conversations/${conversation.id}`, { headers });
    const statuses = await Promise.all([get(a.headers), get(a.headers), get(a.headers)].map(async (r) => (await r).status));
    expect(statuses.sort()).toEqual([200, 200, 429]);
    const refused = await get(a.headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await get(b.headers)).status).toBe(200);
    // A wrong secret with a's id counts nothing against a.
    h.advance(60_000);
    const wrong = { Authorization: bearerAuthorization(`sfk.${a.id}.${'C'.repeat(43)}`) };
    for (let i = 0; i < 5; i++) expect((await get(wrong)).status).toBe(401);
    expect((await get(a.headers)).status).toBe(200);
    expect(h.audit.entries.filter((e) => e.reason === 'RATE_LIMITED').every((e) => e.credentialId === a.id)).toBe(true);
  });

  it('are at most five active per site', async () => {
    const h = await harness();
    for (let i = 0; i < 5; i++) await createCredential(h, `c${i}`);
    const ada = await h.session('ada');
    const res = await h.request('/v1/api-credentials', { headers: ada.headers, body: { label: 'sixth' } });
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('VALIDATION_FAILED');
  });
});
