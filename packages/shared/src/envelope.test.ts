import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../fixtures/cards.js';
import {
  EnvelopeError,
  generateInvitationKeyPair,
  openAnswers,
  publicJwkSchema,
  sealAnswers,
  sealedEnvelopeSchema,
  type EnvelopeBinding,
} from './envelope.js';

const binding: EnvelopeBinding = {
  invitationId: '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
  siteId: 'demo',
  formRef: 'card-payment@1',
  part: 'on-the-record',
};
const answers = { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA' };

/** Flip one base64url character of a segment, keeping it valid base64url. */
function tamper(segment: string): string {
  const c = segment[5] === 'A' ? 'B' : 'A';
  return segment.slice(0, 5) + c + segment.slice(6);
}

// The agent's private key is made non-extractable, so it cannot leave the agent's browser
// (never-list row 4, docs/never-list.md).
describe('the envelope', () => {
  it('opens what it sealed, with the same binding', async () => {
    const keys = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [keys.publicJwk], binding);
    expect(await openAnswers(sealed, keys.privateKey, binding)).toEqual(answers);
  });

  it('uses ECDH-ES+A256KW and A256GCM and hides the answers', async () => {
    const keys = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [keys.publicJwk], binding);
    const header = JSON.parse(atob(sealed.protected.replace(/-/g, '+').replace(/_/g, '/'))) as { enc: string };
    expect(header.enc).toBe('A256GCM');
    expect(sealed.recipients[0]?.header?.alg).toBe('ECDH-ES+A256KW');
    expect(JSON.stringify(sealed)).not.toContain('4111');
  });

  it('makes a non-extractable private key and a public JWK without a private part', async () => {
    const keys = await generateInvitationKeyPair();
    expect(keys.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', keys.privateKey)).rejects.toThrow();
    expect(keys.publicJwk).not.toHaveProperty('d');
    expect(publicJwkSchema.safeParse({ ...keys.publicJwk, d: 'x'.repeat(43) }).success).toBe(false);
  });

  it('refuses tampered ciphertext, tag or protected header', async () => {
    const keys = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [keys.publicJwk], binding);
    for (const part of ['ciphertext', 'tag', 'protected', 'iv'] as const) {
      const broken = { ...sealed, [part]: tamper(sealed[part]) };
      await expect(openAnswers(broken, keys.privateKey, binding)).rejects.toBeInstanceOf(EnvelopeError);
    }
  });

  it('refuses the wrong key', async () => {
    const keys = await generateInvitationKeyPair();
    const other = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [keys.publicJwk], binding);
    await expect(openAnswers(sealed, other.privateKey, binding)).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('refuses an envelope bound to another invitation, site, form or part', async () => {
    const keys = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [keys.publicJwk], binding);
    const others: EnvelopeBinding[] = [
      { ...binding, invitationId: '7c1d2e3f-0000-4000-8000-000000000000' },
      { ...binding, siteId: 'other' },
      { ...binding, formRef: 'card-payment@2' },
      { ...binding, part: 'off-the-record' },
    ];
    for (const expected of others) {
      await expect(openAnswers(sealed, keys.privateKey, expected)).rejects.toThrow(/bound to another/);
    }
  });

  it('seals to two recipients, each able to open', async () => {
    const agent = await generateInvitationKeyPair();
    const history = await generateInvitationKeyPair();
    const sealed = await sealAnswers(answers, [agent.publicJwk, history.publicJwk], binding);
    expect(await openAnswers(sealed, agent.privateKey, binding)).toEqual(answers);
    expect(await openAnswers(sealed, history.privateKey, binding)).toEqual(answers);
  });

  it('refuses answers keyed by something that is not a field id', async () => {
    const keys = await generateInvitationKeyPair();
    await expect(sealAnswers({ 'not a field': 'x' }, [keys.publicJwk], binding)).rejects.toThrow();
  });
});

describe('the envelope schema', () => {
  const keys = generateInvitationKeyPair();
  const sealed = async () => sealAnswers(answers, [(await keys).publicJwk], binding);
  /** `{"a":{"a":…}}`, `depth` levels deep. */
  const deep = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  it('accepts what sealAnswers makes, one or two recipients', async () => {
    const history = await generateInvitationKeyPair();
    expect(sealedEnvelopeSchema.safeParse(await sealed()).success).toBe(true);
    expect(sealedEnvelopeSchema.safeParse(await sealAnswers(answers, [(await keys).publicJwk, history.publicJwk], binding)).success).toBe(
      true,
    );
  });

  it('refuses deep, unknown or oversized header members, and members JWE does not need here', async () => {
    // With two recipients jose puts each ephemeral key in the recipient's own header.
    const envelope = await sealAnswers(answers, [(await keys).publicJwk, (await generateInvitationKeyPair()).publicJwk], binding);
    expect(sealedEnvelopeSchema.safeParse(envelope).success).toBe(true);
    const recipient = envelope.recipients[0]!;
    const epk = recipient.header!.epk!;
    const broken: unknown[] = [
      { ...envelope, unprotected: deep(38_000) },
      { ...envelope, recipients: [{ ...recipient, header: deep(38_000) }] },
      { ...envelope, recipients: [{ ...recipient, header: { ...recipient.header, kid: 'x' } }] },
      { ...envelope, recipients: [{ ...recipient, header: { ...recipient.header, zip: 'DEF' } }] },
      { ...envelope, recipients: [{ ...recipient, header: { ...recipient.header, epk: { ...epk, d: epk.x } } }] },
      { ...envelope, recipients: [{ ...recipient, header: { ...recipient.header, epk: { ...epk, x: `${epk.x}AAAA` } } }] },
      { ...envelope, unprotected: { enc: 'A128CBC-HS256' } },
      { ...envelope, aad: 'AAAA' },
      { ...envelope, iv: 'A'.repeat(200) },
      { ...envelope, protected: 'A'.repeat(5_000) },
      { ...envelope, recipients: [{ ...recipient, encrypted_key: 'A'.repeat(100) }] },
    ];
    for (const input of broken) expect(sealedEnvelopeSchema.safeParse(input).success).toBe(false);
  });
});
