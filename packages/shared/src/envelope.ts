/**
 * The encryption envelope: a visitor's answers sealed in the frame to the public key the agent's
 * panel made for this one invitation, opened only by that panel. JWE in General JSON
 * serialization (so a second recipient, the site's history key, can be added without changing
 * the format), ECDH-ES+A256KW key agreement and A256GCM content encryption, all by jose on
 * WebCrypto. The invitation, site, form version and record part are bound into the protected
 * header, which AES-GCM authenticates: a payload moved to another invitation, or an off-the-record
 * part swapped for an on-the-record one, fails to open.
 */
import { base64url, generalDecrypt, type GeneralJWE } from 'jose';
import * as z from 'zod/mini';
import { fieldIdSchema } from './form-definition.js';
import { CONTENT_ALGORITHM, EnvelopeError, importRecipientKey, KEY_ALGORITHM, MAX_ANSWER_LENGTH, sealToKeys } from './seal.js';

export { CONTENT_ALGORITHM, EnvelopeError, KEY_ALGORITHM };

/** A P-256 public key as JWK. Strict: a JWK with a private part (`d`) is refused. */
export const publicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  y: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  kid: z.optional(z.string().check(z.maxLength(100))),
});
export type PublicJwk = z.infer<typeof publicJwkSchema>;

/** base64url without padding, at most `max` characters. */
const b64u = (max: number) => z.string().check(z.regex(/^[A-Za-z0-9_-]*$/), z.maxLength(max));
/** base64url of exactly `bytes` bytes (no padding). */
const b64uBytes = (bytes: number) => z.string().check(z.regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`)));

/**
 * A JWE header outside the protected one (the shared `unprotected` header or a recipient's
 * `header`): only the members ECDH-ES+A256KW with A256GCM uses (RFC 7516 §4.1, RFC 7518 §4.6.1:
 * `alg`, `enc`, `epk`, `apu`, `apv`),
 * each bounded, so nothing deep or large can ride along to be stored, stringified or relayed.
 * `epk` is the sender's ephemeral public key: a P-256 point, never a private part.
 */
export const jweHeaderSchema = z.strictObject({
  alg: z.optional(z.literal(KEY_ALGORITHM)),
  enc: z.optional(z.literal(CONTENT_ALGORITHM)),
  epk: z.optional(z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64uBytes(32), y: b64uBytes(32) })),
  /** ECDH-ES PartyUInfo and PartyVInfo (RFC 7518 §4.6.1.2-3): optional, short. */
  apu: z.optional(b64u(256)),
  apv: z.optional(b64u(256)),
});

/**
 * The shape of a sealed envelope, checked before it is stored or opened: JWE General JSON with
 * the members this envelope uses and nothing else, each bounded (A256GCM: a 96-bit IV and a
 * 128-bit tag; A256KW: a wrapped 256-bit key is 40 bytes). The protected header is bounded text;
 * jose checks its content when the envelope is opened.
 */
export const sealedEnvelopeSchema = z.strictObject({
  protected: b64u(2048),
  ciphertext: b64u(200_000),
  iv: b64uBytes(12),
  tag: b64uBytes(16),
  unprotected: z.optional(jweHeaderSchema),
  recipients: z
    .array(
      z.strictObject({
        header: z.optional(jweHeaderSchema),
        encrypted_key: b64uBytes(40),
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
export const answersSchema = z.record(fieldIdSchema, z.string().check(z.maxLength(MAX_ANSWER_LENGTH)));
export type Answers = z.infer<typeof answersSchema>;

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

const decoder = new TextDecoder();

/** Seal `answers` to every recipient key, bound to `binding` (checked here with zod; sealed by `sealToKeys`). */
export async function sealAnswers(answers: Answers, recipients: readonly PublicJwk[], binding: EnvelopeBinding): Promise<SealedEnvelope> {
  const checked = answersSchema.parse(answers);
  const keys = await Promise.all(recipients.map((jwk) => importRecipientKey(publicJwkSchema.parse(jwk))));
  return sealToKeys(checked, keys, binding);
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
  return checkOpened(plaintext, header, expected);
}

/** The binding and the answers of an opened envelope, checked. */
function checkOpened(plaintext: Uint8Array, header: unknown, expected: EnvelopeBinding): Answers {
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

/** The ECDH-ES parameters of one recipient's header, for a key agreement done outside jose. */
export interface AgreementHeader {
  epk: PublicJwk;
  apu?: string;
  apv?: string;
}

/**
 * Open an envelope when the ECDH-ES private key cannot be handed to jose (it lives in an HSM):
 * `agree` does the key agreement and the Concat KDF for one recipient and returns its A256KW
 * key-encryption key. An ECDH-ES+A256KW `encrypted_key` is exactly AES-KW(KEK, CEK), and the
 * per-recipient header is not covered by the AAD (only the protected header is), so each
 * recipient is retried as `{ alg: 'A256KW' }` with the same `encrypted_key` and jose does all the
 * JWE work; the binding is checked as in openAnswers.
 */
export async function openAnswersWithAgreement(
  envelope: SealedEnvelope,
  agree: (header: AgreementHeader) => Promise<Uint8Array>,
  expected: EnvelopeBinding,
): Promise<Answers> {
  let protectedHeader: Record<string, unknown>;
  try {
    protectedHeader = z.record(z.string(), z.unknown()).parse(JSON.parse(decoder.decode(base64url.decode(envelope.protected))));
  } catch {
    throw new EnvelopeError('the envelope could not be opened with this key');
  }
  for (const recipient of envelope.recipients) {
    // jose puts `epk` in the protected header when there is one recipient, in the recipient's
    // header when there are more: the agreement takes it from wherever the envelope has it.
    const header: Record<string, unknown> = { ...protectedHeader, ...envelope.unprotected, ...recipient.header };
    const epk = publicJwkSchema.safeParse(header.epk);
    if (header.alg !== KEY_ALGORITHM || !epk.success || !recipient.encrypted_key) continue;
    const apu = typeof header.apu === 'string' ? header.apu : undefined;
    const apv = typeof header.apv === 'string' ? header.apv : undefined;
    let result;
    try {
      const kek = await agree({ epk: epk.data, ...(apu === undefined ? {} : { apu }), ...(apv === undefined ? {} : { apv }) });
      // The key agreement's own parameters go; anything else in the shared header stays.
      const { alg: _alg, epk: _epk, apu: _apu, apv: _apv, ...shared } = (envelope.unprotected ?? {}) as Record<string, unknown>;
      const rewritten = {
        ...envelope,
        ...(Object.keys(shared).length > 0 ? { unprotected: shared } : { unprotected: undefined }),
        recipients: [{ header: { alg: 'A256KW' }, encrypted_key: recipient.encrypted_key }],
      };
      result = await generalDecrypt(rewritten as GeneralJWE, kek, {
        keyManagementAlgorithms: ['A256KW'],
        contentEncryptionAlgorithms: [CONTENT_ALGORITHM],
      });
    } catch {
      continue; // sealed to another recipient's key
    }
    return checkOpened(result.plaintext, result.protectedHeader, expected);
  }
  throw new EnvelopeError('the envelope could not be opened with this key');
}
