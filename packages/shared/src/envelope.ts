/**
 * The encryption envelope: a visitor's answers sealed in the frame to the public key the agent's
 * panel made for this one invitation, opened only by that panel. JWE in General JSON
 * serialization (so a second recipient, the site's history key, can be added without changing
 * the format), ECDH-ES+A256KW key agreement and A256GCM content encryption, all by jose on
 * WebCrypto. The invitation, site, form version and record part are bound into the protected
 * header, which AES-GCM authenticates: a payload moved to another invitation, or an off-the-record
 * part swapped for an on-the-record one, fails to open.
 */
import { GeneralEncrypt, generalDecrypt, type GeneralJWE } from 'jose';
import * as z from 'zod/mini';
import { fieldIdSchema } from './form-definition.js';

export const KEY_ALGORITHM = 'ECDH-ES+A256KW';
export const CONTENT_ALGORITHM = 'A256GCM';

/** A P-256 public key as JWK. Strict: a JWK with a private part (`d`) is refused. */
export const publicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  y: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  kid: z.optional(z.string().check(z.maxLength(100))),
});
export type PublicJwk = z.infer<typeof publicJwkSchema>;

const b64u = z.string().check(z.regex(/^[A-Za-z0-9_-]*$/), z.maxLength(200_000));

/** The shape of a sealed envelope, checked before it is stored or opened. */
export const sealedEnvelopeSchema = z.object({
  protected: b64u,
  ciphertext: b64u,
  iv: b64u,
  tag: b64u,
  aad: z.optional(b64u),
  unprotected: z.optional(z.record(z.string(), z.unknown())),
  recipients: z
    .array(
      z.object({
        header: z.optional(z.record(z.string(), z.unknown())),
        encrypted_key: z.optional(b64u),
      }),
    )
    .check(z.minLength(1), z.maxLength(4)),
});
export type SealedEnvelope = z.infer<typeof sealedEnvelopeSchema>;

export const RECORD_PARTS = ['on-the-record', 'off-the-record'] as const;
export type RecordPart = (typeof RECORD_PARTS)[number];

/** What an envelope is bound to; checked on open. */
export interface EnvelopeBinding {
  invitationId: string;
  siteId: string;
  /** `formId@version` */
  formRef: string;
  part: RecordPart;
}

/** The answers inside an envelope: field id to the text the visitor gave. */
export const answersSchema = z.record(fieldIdSchema, z.string().check(z.maxLength(500)));
export type Answers = z.infer<typeof answersSchema>;

/** Thrown when an envelope cannot be opened: wrong key, tampered, or bound elsewhere. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export interface InvitationKeyPair {
  /** Non-extractable: it can decrypt in this browser and can never be exported or stored. */
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/**
 * A fresh key pair for one invitation. The private half is non-extractable and never leaves the
 * caller's memory. Made with WebCrypto directly, exactly as jose's `generateKeyPair` would for
 * ECDH-ES on P-256: only the public half is exported, as JWK; jose does all the JWE work. (jose's
 * key generation and JWK export would bring its tables for every algorithm into the panel.)
 */
export async function generateInvitationKeyPair(): Promise<InvitationKeyPair> {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new EnvelopeError('the new key is not a P-256 key');
  return { privateKey, publicJwk: { kty, crv, x, y } };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Seal `answers` to every recipient key, bound to `binding`. */
export async function sealAnswers(answers: Answers, recipients: readonly PublicJwk[], binding: EnvelopeBinding): Promise<SealedEnvelope> {
  if (recipients.length === 0) throw new EnvelopeError('no recipient key');
  const plaintext = encoder.encode(JSON.stringify(answersSchema.parse(answers)));
  const jwe = new GeneralEncrypt(plaintext).setProtectedHeader({
    enc: CONTENT_ALGORITHM,
    sf: { inv: binding.invitationId, site: binding.siteId, form: binding.formRef, part: binding.part },
  });
  for (const jwk of recipients) {
    // jose imports a JWK recipient itself (public keys only), as importJWK would.
    jwe.addRecipient(publicJwkSchema.parse(jwk)).setUnprotectedHeader({ alg: KEY_ALGORITHM });
  }
  return (await jwe.encrypt()) as SealedEnvelope;
}

const boundHeaderSchema = z.object({
  sf: z.object({ inv: z.string(), site: z.string(), form: z.string(), part: z.enum(RECORD_PARTS) }),
});

/** Open an envelope with the invitation's private key; refuses tampering and foreign bindings. */
export async function openAnswers(envelope: SealedEnvelope, privateKey: CryptoKey, expected: EnvelopeBinding): Promise<Answers> {
  let plaintext: Uint8Array;
  let header: unknown;
  try {
    const result = await generalDecrypt(envelope as GeneralJWE, privateKey, {
      keyManagementAlgorithms: [KEY_ALGORITHM],
      contentEncryptionAlgorithms: [CONTENT_ALGORITHM],
    });
    plaintext = result.plaintext;
    header = result.protectedHeader;
  } catch {
    // jose's messages say which check failed; callers only need to know it did not open.
    throw new EnvelopeError('the envelope could not be opened with this key');
  }
  const bound = boundHeaderSchema.safeParse(header);
  if (
    !bound.success ||
    bound.data.sf.inv !== expected.invitationId ||
    bound.data.sf.site !== expected.siteId ||
    bound.data.sf.form !== expected.formRef ||
    bound.data.sf.part !== expected.part
  ) {
    throw new EnvelopeError('the envelope is bound to another invitation, site, form or part');
  }
  const answers = answersSchema.safeParse(JSON.parse(decoder.decode(plaintext)));
  if (!answers.success) throw new EnvelopeError('the envelope holds no valid answers');
  return answers.data;
}
