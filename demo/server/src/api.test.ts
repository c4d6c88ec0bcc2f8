/** The /v1 surface as a browser sees it: headers, CORS, validation, limits, event streams. */
import { generateInvitationKeyPair } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { BRAND, collectStream, harness, PCI, readEvent } from './test/harness.js';

describe('the /v1 API', () => {
  it('sends Cache-Control: no-store, nosniff and no-referrer on every response, refusals included', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    for (const res of [
      await h.request('/v1/conversations', { headers: alice.headers }),
      await h.request('/v1/conversations'),
      await h.request('/v1/nowhere'),
      await h.request('/v1/sessions', { body: { siteId: 'demo', username: 'alice', password: 'nope-nope-1' } }),
    ]) {
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('Content-Type')).toContain('application/json');
    }
  });

  it('answers CORS for the brand origin and its own frame, and refuses a foreign origin', async () => {
    const h = await harness();
    const preflight = await h.request('/v1/sessions', {
      method: 'OPTIONS',
      headers: { Origin: BRAND, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(BRAND);
    const fromFrame = await h.request('/v1/forms/view', { method: 'POST', headers: { Origin: PCI } });
    expect(fromFrame.headers.get('Access-Control-Allow-Origin')).toBe(PCI);

    const foreign = await h.request('/v1/conversations', { body: { siteId: 'demo' }, headers: { Origin: 'https://attacker.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(await foreign.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(h.audit.entries.at(-1)).toMatchObject({ outcome: 'refused', reason: 'ORIGIN_NOT_ALLOWED', origin: 'https://attacker.example' });
  });

  it('names the failing fields on VALIDATION_FAILED, without echoing values', async () => {
    const h = await harness();
    const res = await h.request('/v1/sessions', { body: { siteId: 'Not A Site!', username: '', password: 'hunter2-secret' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string; reason: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(['siteId', 'username']);
    expect(JSON.stringify(body)).not.toContain('Not A Site!');

    const alice = await h.session('alice');
    const visitor = await h.startConversation();
    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    const keys = await generateInvitationKeyPair();
    const withPrivate = await h.request(`/v1/conversations/${visitor.id}/invitations`, {
      headers: alice.headers,
      body: { formId: 'card-payment', publicKey: { ...keys.publicJwk, d: 'A'.repeat(43) } },
    });
    const refused = (await withPrivate.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(refused.error.code).toBe('VALIDATION_FAILED');
    expect(refused.error.fields.map((f) => f.path)).toContain('publicKey');
    expect(JSON.stringify(refused)).not.toContain('A'.repeat(43));

    const notJson = await h.request('/v1/sessions', { body: '{"siteId":' });
    expect(await notJson.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses a body over 256 kB with PAYLOAD_TOO_LARGE', async () => {
    const h = await harness();
    const res = await h.request('/v1/conversations', { body: { siteId: 'demo', visitorName: 'x'.repeat(300 * 1024) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('keeps the visitor and the agents informed on their event streams, with keep-alives', async () => {
    const h = await harness({ keepAliveMs: 20 });
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    const visitor = await h.startConversation('Nina');
    const visitorEvents = await h.request(`/v1/conversations/${visitor.id}/events`, { headers: visitor.headers });
    expect(visitorEvents.headers.get('Content-Type')).toContain('text/event-stream');
    expect(visitorEvents.headers.get('Cache-Control')).toBe('no-store');
    const bobEvents = await h.request('/v1/agent/events', { headers: bob.headers });

    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    const state = await readEvent(visitorEvents, (e) =>
      (e as { type: string }).type === 'conversation' ? (e as { state: string }).state : undefined,
    );
    expect(state).toBe('active');

    // bob hears that the conversation was taken, but not the messages of alice's conversation.
    await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: visitor.headers, body: { text: 'hello there' } });
    const text = await collectStream(bobEvents, 120);
    expect(text).toContain('"type":"conversation"');
    expect(text).toContain(': keep-alive');
    expect(text).not.toContain('hello there');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.app.hub.listenerCount).toBe(0);
  });

  it('refuses event streams without the right credential', async () => {
    const h = await harness();
    const visitor = await h.startConversation();
    const other = await h.startConversation();
    expect((await h.request('/v1/agent/events')).status).toBe(401);
    expect((await h.request(`/v1/conversations/${visitor.id}/events`, { headers: other.headers })).status).toBe(401);
  });
});
