import { describe, expect, it } from 'vitest';
import { code, submitted } from '../../test/flows.js';
import { harness } from '../../test/harness.js';

const guess = () => `OTK ${Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 7 + Date.now()) % 256)).toString('base64url')}`;

describe('one-time key guessing', () => {
  it('is refused with RATE_LIMITED after 30 refused keys from one address, before the key is looked at', async () => {
    const h = await harness();
    const s = await submitted(h);
    for (let i = 0; i < 30; i++) {
      const res = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' });
      expect(await code(res)).toBe('OTK_INVALID');
    }
    const limited = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' });
    expect(limited.status).toBe(429);
    expect(await code(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(h.audit.entries.at(-1)).toMatchObject({ outcome: 'refused', reason: 'RATE_LIMITED' });

    // A real key presented while limited is refused and not spent; other addresses go on.
    const retrieve = (address: string) =>
      h.request(`/v1/submissions/${s.submissionId}/retrieve`, {
        method: 'POST',
        headers: { ...h.otk(s.retrieveOtk), ...s.alice.headers },
        address,
      });
    expect(await code(await retrieve('10.0.0.66'))).toBe('RATE_LIMITED');
    expect((await retrieve('127.0.0.1')).status).toBe(200);

    // The window ends: the address may try again.
    h.advance(61_000);
    expect(
      await code(await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' })),
    ).toBe('OTK_INVALID');
  });

  it('counts refused keys only, not requests without one or keys that work', async () => {
    const h = await harness();
    for (let i = 0; i < 40; i++) await h.request('/v1/forms/view', { method: 'POST', address: '10.0.0.9' });
    const s = await submitted(h);
    expect(s.submissionId).toBeTruthy();
  });
});
