import { describe, expect, it } from 'vitest';
import { otkFromHeader } from './auth.js';
import { code, openForm, sent } from '../test/flows.js';
import { harness } from '../test/harness.js';

const KEY = 'A'.repeat(43);

describe('credentials at the edge', () => {
  it('matches the OTK scheme case-insensitively, with any number of spaces before the key', () => {
    for (const header of [`OTK ${KEY}`, `otk ${KEY}`, `Otk ${KEY}`, `OTK   ${KEY}`, ` OTK ${KEY} `])
      expect(otkFromHeader(header)).toBe(KEY);
    for (const header of [`Bearer ${KEY}`, `OTK${KEY}`, `OTKX ${KEY}`, `OTK ${KEY} extra`, 'OTK', `OTK ${KEY.slice(1)}`]) {
      expect(() => otkFromHeader(header)).toThrow(expect.objectContaining({ code: 'OTK_MISSING' }) as Error);
    }
  });

  it('accepts a view key sent with the scheme in lower case', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const res = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: `otk ${opened.viewOtk}` } });
    expect(res.status).toBe(200);
  });

  it('names the credential to send in WWW-Authenticate on every 401', async () => {
    const h = await harness();
    const noKey = await h.request('/v1/forms/view', { method: 'POST' });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('WWW-Authenticate')).toBe('OTK realm="secure-forms"');
    const wrongKey = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: `OTK ${KEY}` } });
    expect(await code(wrongKey)).toBe('OTK_INVALID');
    expect(wrongKey.headers.get('WWW-Authenticate')).toBe('OTK realm="secure-forms"');
    const noSession = await h.request('/v1/conversations');
    expect(noSession.status).toBe(401);
    expect(noSession.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Session realm="secure-forms"');
    const visitor = await h.request('/v1/conversations/00000000-0000-4000-8000-000000000000/messages', {
      headers: { 'Secure-Forms-Conversation': 'short' },
    });
    expect(visitor.status).toBe(401);
    expect(visitor.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Conversation realm="secure-forms"');
    // A route only the visitor calls names the conversation token even when the request sent nothing.
    const s = await sent(h);
    const bare = await h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST' });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Conversation realm="secure-forms"');
    const login = await h.request('/v1/sessions', { body: { siteId: 'demo', username: 'alice', password: 'wrong-password-1' } });
    expect(login.status).toBe(401);
    expect(login.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Session realm="secure-forms"');
  });

  it('refuses a JSON endpoint whose body is not application/json with UNSUPPORTED_MEDIA_TYPE', async () => {
    const h = await harness();
    const res = await h.request('/v1/conversations', {
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ siteId: 'demo', visitorName: 'Vera' }),
    });
    expect(res.status).toBe(415);
    expect(await code(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await h.all('SELECT id FROM conversations')).toHaveLength(0);
  });
});
