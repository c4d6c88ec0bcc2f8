import { ERROR_CODES } from '@secure-forms/shared/errors';
import { FRAME_PROTOCOL, frameToHostSchema, frameUrl } from '@secure-forms/shared/protocol';
import { describe, expect, it } from 'vitest';
import { parseFrameMessage } from './host-messages.js';

const CODES = new Set<string>(ERROR_CODES);
const P = FRAME_PROTOCOL;

describe('the host page reads frame messages exactly', () => {
  it('opens the frame at the frame path of the PCI origin with site, host, locale and protocol version only', () => {
    const params = { siteId: 'demo', hostOrigin: 'http://localhost:8080', locale: 'ar' };
    expect(frameUrl('http://127.0.0.1:8443/x', params)).toBe(
      'http://127.0.0.1:8443/frame/?site=demo&host=http%3A%2F%2Flocalhost%3A8080&locale=ar&v=2',
    );
  });

  it.each([
    [{ protocol: P, type: 'ready' }, { type: 'ready' }],
    [{ protocol: P, type: 'closed' }, { type: 'closed' }],
    [{ protocol: P, type: 'escape' }, { type: 'escape' }],
    [{ protocol: P, type: 'confirming' }, { type: 'confirming' }],
    [
      { protocol: P, type: 'opened', opensLeft: 0 },
      { type: 'opened', opensLeft: 0 },
    ],
    [
      { protocol: P, type: 'opened', opensLeft: 2, viewOtk: 'A'.repeat(43) },
      { type: 'opened', opensLeft: 2 },
    ],
    [
      { protocol: P, type: 'resize', height: 300 },
      { type: 'resize', height: 300 },
    ],
    [
      { protocol: P, type: 'focus', top: 688.5, bottom: 732 },
      { type: 'focus', top: 688.5, bottom: 732 },
    ],
    [
      { protocol: P, type: 'focus', top: -10_000, bottom: 10_000, name: 'Billing postcode', value: 'SW1A 1AA' },
      { type: 'focus', top: -10_000, bottom: 10_000 },
    ],
    [
      { protocol: P, type: 'submitted', submissionId: '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e' },
      { type: 'submitted', submissionId: '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e' },
    ],
    [
      { protocol: P, type: 'error', code: 'OTK_EXPIRED' },
      { type: 'error', code: 'OTK_EXPIRED' },
    ],
  ])('accepts %j', (data, expected) => {
    expect(parseFrameMessage(data, CODES)).toEqual(expected);
    // Exactly what the shared protocol allows: the hand-written reader must not drift from it.
    expect(frameToHostSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    null,
    'ready',
    [P, 'ready'],
    { protocol: 'other', type: 'ready' },
    { protocol: P, type: 'open' },
    { protocol: P, type: 'close' },
    { protocol: P, type: 'opened' },
    { protocol: P, type: 'opened', opensLeft: -1 },
    { protocol: P, type: 'opened', opensLeft: 1.5 },
    { protocol: P, type: 'opened', opensLeft: '2' },
    { protocol: P, type: 'resize', height: -1 },
    { protocol: P, type: 'resize', height: 10_001 },
    { protocol: P, type: 'resize', height: '10' },
    { protocol: P, type: 'focus', top: -10_001, bottom: 10 },
    { protocol: P, type: 'focus', top: 0, bottom: 10_001 },
    { protocol: P, type: 'focus', top: '0', bottom: 10 },
    { protocol: P, type: 'focus', top: 0 },
    { protocol: P, type: 'focus', top: Number.NaN, bottom: 10 },
    { protocol: P, type: 'submitted', submissionId: 'not-a-uuid' },
    { protocol: P, type: 'error', code: 'NOT_A_CODE' },
    Object.assign(Object.create({ protocol: P }), { type: 'ready' }),
  ])('ignores %j', (data) => {
    expect(parseFrameMessage(data, CODES)).toBeNull();
  });
});
