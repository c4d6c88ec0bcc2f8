/**
 * The open request with the conversation token as its whole `text/plain` body: what the invite
 * sends so that the visitor's browser needs no CORS preflight. A simple request reaches the server
 * without a preflight, so every check happens here: the Origin (for the conversation's site)
 * before the invitation is opened, a small body limit, and a clear refusal for a missing,
 * malformed or doubled token. Only this route takes text/plain.
 */
import { openInvitationResponseSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { OPEN_BODY_LIMIT } from '../routes/invitations.js';
import { demoSite } from '../sites/index.js';
import { code, sent } from '../test/flows.js';
import { BRAND, harness } from '../test/harness.js';

const OTHER_BRAND = 'http://other-brand.example';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

async function setup() {
  const other = { ...demoSite(8080), id: 'other', title: 'Other Brand', brandOrigins: [OTHER_BRAND], operators: [] };
  const h = await harness({ otherSites: [other] });
  const s = await sent(h);
  const open = (body: string, headers: Record<string, string> = {}) =>
    h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: { ...TEXT, Origin: BRAND, ...headers }, body });
  /** Whether the invitation is untouched: not opened, no view key issued. */
  const untouched = async () => {
    expect(await h.get('SELECT state, opens FROM invitations WHERE id = ?', s.invitation.id)).toEqual({ state: 'sent', opens: 0 });
    expect(await h.get("SELECT COUNT(*) AS n FROM one_time_keys WHERE action = 'view'")).toEqual({ n: 0 });
  };
  return { h, s, open, untouched };
}

describe('opening an invitation with the token as a text/plain body', () => {
  it('opens from the site brand origin, with CORS approval, as with the header', async () => {
    const { h, s, open } = await setup();
    const res = await open(s.visitor.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(BRAND);
    expect(openInvitationResponseSchema.safeParse(await res.json()).success).toBe(true);
    expect(await h.get('SELECT state, opens FROM invitations WHERE id = ?', s.invitation.id)).toEqual({ state: 'opened', opens: 1 });
  });

  it("refuses another site's brand origin with ORIGIN_NOT_ALLOWED before opening anything", async () => {
    const { s, open, untouched } = await setup();
    const res = await open(s.visitor.token, { Origin: OTHER_BRAND });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(await code(res)).toBe('ORIGIN_NOT_ALLOWED');
    await untouched();
  });

  it('refuses an origin no site lists before reading the body', async () => {
    const { s, open, untouched } = await setup();
    const res = await open(s.visitor.token, { Origin: 'https://attacker.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(await code(res)).toBe('ORIGIN_NOT_ALLOWED');
    await untouched();
  });

  it('refuses a body over its small limit with PAYLOAD_TOO_LARGE', async () => {
    const { s, open, untouched } = await setup();
    const res = await open(s.visitor.token + 'x'.repeat(OPEN_BODY_LIMIT));
    expect(res.status).toBe(413);
    expect(await code(res)).toBe('PAYLOAD_TOO_LARGE');
    await untouched();
  });

  it('refuses an empty body without the header with UNAUTHENTICATED', async () => {
    const { open, untouched } = await setup();
    const res = await open('');
    expect(res.status).toBe(401);
    expect(await code(res)).toBe('UNAUTHENTICATED');
    await untouched();
  });

  it('names the conversation token, not the operator session, in the challenge of its 401', async () => {
    const { open } = await setup();
    for (const body of ['', 'A'.repeat(40)]) {
      const res = await open(body);
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Conversation realm="secure-forms"');
    }
  });

  it('refuses a body that is not a token, or not this conversation token, with UNAUTHENTICATED', async () => {
    const { s, open, untouched } = await setup();
    for (const body of [`${s.visitor.token}\n`, JSON.stringify({ conversationToken: s.visitor.token }), 'A'.repeat(40)]) {
      const res = await open(body);
      expect(res.status).toBe(401);
      expect(await code(res)).toBe('UNAUTHENTICATED');
    }
    await untouched();
  });

  it('refuses the token in both the header and the body with VALIDATION_FAILED', async () => {
    const { s, open, untouched } = await setup();
    const res = await open(s.visitor.token, s.visitor.headers);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', fields: [{ path: '', reason: 'duplicate_credential' }] },
    });
    await untouched();
  });

  it('still takes text/plain on no other route', async () => {
    const { h, s, untouched } = await setup();
    for (const path of [`/v1/invitations/${s.invitation.id}/cancel`, `/v1/invitations/${s.invitation.id}/open/x`, '/v1/forms/view']) {
      const res = await h.request(path, { method: 'POST', headers: { ...TEXT, Origin: BRAND }, body: s.visitor.token });
      expect(res.status, path).toBe(415);
      expect(await code(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    await untouched();
  });
});
