import { createPrivateKey, createPublicKey, diffieHellman, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateInvitationKeyPair,
  KEY_ALGORITHM,
  openAnswers,
  openAnswersWithAgreement,
  sealAnswers,
  type EnvelopeBinding,
} from '@secure-forms/shared';
import { concatKdf, concatKdfOtherInfo } from './concat-kdf.js';

// RFC 7518 Appendix C: ECDH-ES with A128GCM, apu "Alice", apv "Bob".
const ALICE_EPHEMERAL = {
  kty: 'EC',
  crv: 'P-256',
  x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
  y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
  d: '0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo',
};
const BOB = {
  kty: 'EC',
  crv: 'P-256',
  x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
  y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
  d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw',
};
const Z = Buffer.from([
  158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140,
  254, 144, 196,
]);

const binding: EnvelopeBinding = { invitationId: 'inv-1', siteId: 'demo', formRef: 'card-payment@1', part: 'on-the-record' };

describe('Concat KDF (RFC 7518 §4.6.2)', () => {
  it('derives the key of RFC 7518 Appendix C', () => {
    const z = diffieHellman({
      privateKey: createPrivateKey({ key: BOB, format: 'jwk' }),
      publicKey: createPublicKey({ key: { ...ALICE_EPHEMERAL, d: undefined }, format: 'jwk' }),
    });
    expect(z.equals(Z)).toBe(true);
    const key = concatKdf(Z, concatKdfOtherInfo('A128GCM', 128, 'QWxpY2U', 'Qm9i'), 128);
    expect(key.toString('base64url')).toBe('VqqN6vgjbSBcIijNcacQGg');
  });

  it("gives the key-encryption key of jose's own ECDH-ES+A256KW recipient", async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const jwk = await webcrypto.subtle.exportKey('jwk', pair.privateKey);
    const { kty, crv, x, y } = jwk;
    const other = await generateInvitationKeyPair();
    const envelope = await sealAnswers(
      { cardNumber: '4111111111111111' },
      [other.publicJwk, { kty: 'EC', crv: 'P-256', x: x!, y: y! }],
      binding,
    );
    expect(envelope.recipients[1]?.header?.alg).toBe(KEY_ALGORITHM);

    const agreements: string[] = [];
    const opened = await openAnswersWithAgreement(
      envelope,
      (header) => {
        agreements.push(header.epk.x);
        const z = diffieHellman({
          privateKey: createPrivateKey({ key: jwk as never, format: 'jwk' }),
          publicKey: createPublicKey({ key: { ...header.epk }, format: 'jwk' }),
        });
        return Promise.resolve(concatKdf(z, concatKdfOtherInfo(KEY_ALGORITHM, 256, header.apu, header.apv), 256));
      },
      binding,
    );
    // The same answers jose opens with the private key itself.
    expect(opened).toEqual(await openAnswers(envelope, pair.privateKey, binding));
    expect(opened).toEqual({ cardNumber: '4111111111111111' });
    expect(agreements).toHaveLength(2); // the agent's recipient was tried first and did not open
    expect({ kty, crv }).toEqual({ kty: 'EC', crv: 'P-256' });
  });

  it('takes the epk from the protected header when the envelope has one recipient (as jose seals it then)', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const jwk = await webcrypto.subtle.exportKey('jwk', pair.privateKey);
    const envelope = await sealAnswers({ cardNumber: '4111111111111111' }, [{ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! }], binding);
    expect(envelope.recipients[0]?.header?.epk).toBeUndefined();
    const opened = await openAnswersWithAgreement(
      envelope,
      (header) =>
        Promise.resolve(
          concatKdf(
            diffieHellman({
              privateKey: createPrivateKey({ key: jwk as never, format: 'jwk' }),
              publicKey: createPublicKey({ key: { ...header.epk }, format: 'jwk' }),
            }),
            concatKdfOtherInfo(KEY_ALGORITHM, 256, header.apu, header.apv),
            256,
          ),
        ),
      binding,
    );
    expect(opened).toEqual({ cardNumber: '4111111111111111' });
  });

  it('opens nothing with a wrong key-encryption key, or bound elsewhere', async () => {
    const pair = await generateInvitationKeyPair();
    const envelope = await sealAnswers({ cardNumber: '4111111111111111' }, [pair.publicJwk], binding);
    await expect(openAnswersWithAgreement(envelope, () => Promise.resolve(new Uint8Array(32)), binding)).rejects.toThrow(
      /could not be opened/,
    );
  });

  it('refuses a key size one SHA-256 block cannot give', () => {
    expect(() => concatKdfOtherInfo('A256KW', 512)).toThrow(RangeError);
  });
});
