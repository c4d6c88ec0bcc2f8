import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInvitationKeyPair, openAnswers, publicJwkSchema, sealedEnvelopeSchema } from './envelope.js';
import { EnvelopeError, importRecipientKey, isPublicJwk, sealToKeys } from './seal.js';

const binding = { invitationId: '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f', siteId: 'demo', formRef: 'card@1', part: 'on-the-record' as const };
const coordinate = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  fc.constantFrom('A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}+`, 1),
  fc.string({ maxLength: 50 }),
);
const jwk = fc.record(
  {
    kty: fc.constantFrom('EC', 'OKP', 'ec', undefined),
    crv: fc.constantFrom('P-256', 'P-384', 'X25519', undefined),
    x: coordinate,
    y: coordinate,
    kid: fc.oneof(fc.string({ maxLength: 110 }), fc.constant(undefined), fc.integer()),
    d: coordinate,
    use: fc.constant('enc'),
  },
  { requiredKeys: [] },
);

describe('isPublicJwk', () => {
  it('agrees with publicJwkSchema on random keys and their near misses', () => {
    fc.assert(
      fc.property(fc.oneof(jwk, fc.anything()), (value) => {
        expect(isPublicJwk(value)).toBe(publicJwkSchema.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('importRecipientKey and sealToKeys', () => {
  it('seal to an imported key; the envelope passes the strict schema and opens', async () => {
    const keys = await generateInvitationKeyPair();
    const sealed = await sealToKeys({ cvv: '737' }, [await importRecipientKey(keys.publicJwk)], binding);
    expect(sealedEnvelopeSchema.safeParse(sealed).success).toBe(true);
    expect(await openAnswers(sealed, keys.privateKey, binding)).toEqual({ cvv: '737' });
  });

  it('refuse a private key, a point off the curve, and answers too long', async () => {
    const keys = await generateInvitationKeyPair();
    await expect(importRecipientKey({ ...keys.publicJwk, d: keys.publicJwk.x })).rejects.toThrow(EnvelopeError);
    await expect(importRecipientKey({ ...keys.publicJwk, y: keys.publicJwk.x })).rejects.toThrow(EnvelopeError);
    const key = await importRecipientKey(keys.publicJwk);
    await expect(sealToKeys({ a: 'x'.repeat(501) }, [key], binding)).rejects.toThrow(EnvelopeError);
    await expect(sealToKeys({ a: 'x' }, [], binding)).rejects.toThrow(EnvelopeError);
  });
});
