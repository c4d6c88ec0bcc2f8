/**
 * The PKCS#11 custody: the keys live in an HSM (tested against SoftHSM2) and never leave it.
 *
 * - The wrapping key: AES-256, a token object, CKA_SENSITIVE and not CKA_EXTRACTABLE, found by
 *   label and generated in the token on first start. Data keys are generated in the token as
 *   session objects, wrapped there with CKM_AES_KEY_WRAP_PAD (RFC 5649); to use one, the token
 *   unwraps it (C_UnwrapKey) into a session object whose value the vault keeps in memory only.
 * - Each site's history key: a P-256 pair generated in the token, the private half sensitive
 *   and not extractable. The ECDH of ECDH-ES+A256KW is CKM_ECDH1_DERIVE with the recipient's
 *   `epk` into a sensitive session secret Z, and the Concat KDF is the token's SHA-256 over
 *   counter || Z (C_DigestKey) || OtherInfo, so Z never leaves the token either; only the
 *   per-recipient key-encryption key comes out, for jose to unwrap the content key.
 *
 * pkcs11js calls are synchronous and Node runs one at a time, so one logged-in session serves
 * every request without interleaving (a digest in progress is never shared).
 */
import { createRequire } from 'node:module';
import { calculateJwkThumbprint } from 'jose';
import type { ECDH1 } from 'pkcs11js';
import { KEY_ALGORITHM, publicJwkSchema, type PublicJwk } from '@secure-forms/shared';
import type { Logger } from '../../logger.js';
import { CONCAT_KDF_COUNTER, concatKdfOtherInfo } from './concat-kdf.js';
import { CustodyError, type AgreementHeader, type KeyCustody, type NewDataKey } from './types.js';

type Pkcs11Module = typeof import('pkcs11js');
type Handle = Buffer;
type Template = { type: number; value?: number | boolean | string | Buffer }[];

/** The DER of the P-256 curve's OID (prime256v1), for CKA_EC_PARAMS. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

/** Where the token is and how to log in; see crypto/custody/config.ts for the environment. */
export interface Pkcs11Options {
  /** The PKCS#11 module (shared library) of the HSM, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  /** The token's label; or `slot`, the slot id. */
  tokenLabel?: string;
  slot?: bigint;
  /** The user PIN (CKU_USER). */
  pin: string;
  /** Prefix of the key labels: `<prefix>:wrapping-key`, `<prefix>:history:<siteId>`. */
  keyLabel: string;
  logger: Logger;
}

interface Library {
  pkcs11: InstanceType<Pkcs11Module['PKCS11']>;
  users: number;
}

// One loaded and initialized module per path: C_Initialize may be called once per process.
const libraries = new Map<string, Library>();

function pkcs11Error(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Pkcs11Custody implements KeyCustody {
  readonly kind = 'pkcs11';
  private readonly ck: Pkcs11Module;
  private readonly library: Library;
  private readonly session: Handle;
  private readonly wrappingKey: Handle;
  // One load per site, shared by concurrent first uses, so a key pair is never generated twice.
  private readonly historyKeys = new Map<string, Promise<{ publicJwk: PublicJwk; privateKey: Handle }>>();
  private closed = false;

  /** Load the module, log in to the token and find (or generate) the wrapping key. */
  constructor(private readonly options: Pkcs11Options) {
    try {
      this.ck = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
    } catch (error) {
      throw new CustodyError(`The PKCS#11 key custody needs the pkcs11js module (npm install): ${pkcs11Error(error)}`);
    }
    this.library = this.openLibrary();
    try {
      this.session = this.openSession();
      this.wrappingKey = this.findOrGenerateWrappingKey();
    } catch (error) {
      this.release();
      throw error;
    }
  }

  private get p() {
    return this.library.pkcs11;
  }

  private openLibrary(): Library {
    let library = libraries.get(this.options.module);
    if (!library) {
      const pkcs11 = new this.ck.PKCS11();
      try {
        pkcs11.load(this.options.module);
        pkcs11.C_Initialize();
      } catch (error) {
        throw new CustodyError(
          `The PKCS#11 module ${this.options.module} could not be loaded: ${pkcs11Error(error)}. Check SECURE_FORMS_PKCS11_MODULE.`,
        );
      }
      library = { pkcs11, users: 0 };
      libraries.set(this.options.module, library);
    }
    library.users += 1;
    return library;
  }

  private openSession(): Handle {
    const { ck, p, options } = this;
    const slots = p.C_GetSlotList(true);
    const slot = slots.find((s) =>
      options.tokenLabel !== undefined ? p.C_GetTokenInfo(s).label.trim() === options.tokenLabel : slotId(s) === options.slot,
    );
    if (!slot) {
      throw new CustodyError(
        `No token ${options.tokenLabel !== undefined ? `labelled "${options.tokenLabel}"` : `in slot ${String(options.slot)}`} in ${options.module}: check SECURE_FORMS_PKCS11_TOKEN_LABEL or SECURE_FORMS_PKCS11_SLOT.`,
      );
    }
    const session = p.C_OpenSession(slot, ck.CKF_SERIAL_SESSION | ck.CKF_RW_SESSION);
    try {
      p.C_Login(session, ck.CKU_USER, options.pin);
    } catch (error) {
      if (!/CKR_USER_ALREADY_LOGGED_IN/.test(pkcs11Error(error))) {
        p.C_CloseSession(session);
        // The message names the failure (CKR_PIN_INCORRECT...), never the PIN.
        throw new CustodyError(
          `Login to the token failed (${pkcs11Error(error)}): check the PIN in SECURE_FORMS_PKCS11_PIN_FILE or SECURE_FORMS_PKCS11_PIN.`,
        );
      }
    }
    return session;
  }

  private find(template: Template): Handle[] {
    const { p, session } = this;
    p.C_FindObjectsInit(session, template);
    try {
      return p.C_FindObjects(session, 2);
    } finally {
      p.C_FindObjectsFinal(session);
    }
  }

  private findOne(label: string, objectClass: number): Handle | undefined {
    const found = this.find([
      { type: this.ck.CKA_LABEL, value: label },
      { type: this.ck.CKA_CLASS, value: objectClass },
    ]);
    if (found.length > 1) throw new CustodyError(`The token holds more than one key labelled "${label}": remove the extra one.`);
    return found[0];
  }

  /** Refuse a key that could be read out of the token: it was not made by this custody. */
  private requireNonExtractable(key: Handle, label: string): void {
    const [sensitive, extractable] = this.p.C_GetAttributeValue(this.session, key, [
      { type: this.ck.CKA_SENSITIVE },
      { type: this.ck.CKA_EXTRACTABLE },
    ]);
    if (!isTrue(sensitive?.value) || isTrue(extractable?.value)) {
      throw new CustodyError(`The token's key "${label}" can be extracted: make a new one that is sensitive and not extractable.`);
    }
  }

  private findOrGenerateWrappingKey(): Handle {
    const { ck, p, session } = this;
    const label = `${this.options.keyLabel}:wrapping-key`;
    const found = this.findOne(label, ck.CKO_SECRET_KEY);
    if (found) {
      this.requireNonExtractable(found, label);
      return found;
    }
    const key = p.C_GenerateKey(session, { mechanism: ck.CKM_AES_KEY_GEN }, [
      { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
      { type: ck.CKA_KEY_TYPE, value: ck.CKK_AES },
      { type: ck.CKA_VALUE_LEN, value: 32 },
      { type: ck.CKA_LABEL, value: label },
      { type: ck.CKA_TOKEN, value: true },
      { type: ck.CKA_PRIVATE, value: true },
      { type: ck.CKA_SENSITIVE, value: true },
      { type: ck.CKA_EXTRACTABLE, value: false },
      { type: ck.CKA_WRAP, value: true },
      { type: ck.CKA_UNWRAP, value: true },
      { type: ck.CKA_ENCRYPT, value: false },
      { type: ck.CKA_DECRYPT, value: false },
    ]);
    this.options.logger.info({ label }, 'generated the wrapping key in the token (non-extractable)');
    return key;
  }

  /** A session object's value, then the object destroyed. */
  private takeValue(key: Handle): Buffer {
    try {
      const [attribute] = this.p.C_GetAttributeValue(this.session, key, [{ type: this.ck.CKA_VALUE }]);
      if (!Buffer.isBuffer(attribute?.value)) throw new CustodyError('The token gave no key value.');
      return Buffer.from(attribute.value);
    } finally {
      this.p.C_DestroyObject(this.session, key);
    }
  }

  /** A session data key: not stored in the token; its value may be read (the vault holds it). */
  private dataKeyTemplate(): Template {
    const { ck } = this;
    return [
      { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
      { type: ck.CKA_KEY_TYPE, value: ck.CKK_AES },
      { type: ck.CKA_TOKEN, value: false },
      { type: ck.CKA_SENSITIVE, value: false },
      { type: ck.CKA_EXTRACTABLE, value: true },
    ];
  }

  newDataKey(): NewDataKey {
    const { ck, p, session } = this;
    const handle = p.C_GenerateKey(session, { mechanism: ck.CKM_AES_KEY_GEN }, [
      ...this.dataKeyTemplate(),
      { type: ck.CKA_VALUE_LEN, value: 32 },
    ]);
    let wrapped: Buffer;
    try {
      wrapped = Buffer.from(p.C_WrapKey(session, { mechanism: ck.CKM_AES_KEY_WRAP_PAD }, this.wrappingKey, handle, Buffer.alloc(64)));
    } catch (error) {
      p.C_DestroyObject(session, handle);
      throw new CustodyError(`The token could not wrap a new data key: ${pkcs11Error(error)}`);
    }
    return { key: this.takeValue(handle), wrapped };
  }

  unwrapDataKey(wrapped: Buffer): Buffer {
    const { ck, p, session } = this;
    let handle: Handle;
    try {
      handle = p.C_UnwrapKey(session, { mechanism: ck.CKM_AES_KEY_WRAP_PAD }, this.wrappingKey, wrapped, this.dataKeyTemplate());
    } catch (error) {
      throw new CustodyError(
        `A stored data key does not unwrap with the token's wrapping key (${pkcs11Error(error)}): is this the token the data directory was made with?`,
      );
    }
    return this.takeValue(handle);
  }

  legacyDataKey(): undefined {
    return undefined;
  }

  private historyKey(siteId: string): Promise<{ publicJwk: PublicJwk; privateKey: Handle }> {
    let loading = this.historyKeys.get(siteId);
    if (!loading) {
      loading = this.loadHistoryKey(siteId);
      this.historyKeys.set(siteId, loading);
      loading.catch(() => this.historyKeys.delete(siteId));
    }
    return loading;
  }

  private async loadHistoryKey(siteId: string): Promise<{ publicJwk: PublicJwk; privateKey: Handle }> {
    const { ck, p, session } = this;
    const label = `${this.options.keyLabel}:history:${siteId}`;
    let privateKey = this.findOne(label, ck.CKO_PRIVATE_KEY);
    let publicKey = this.findOne(label, ck.CKO_PUBLIC_KEY);
    if (privateKey && publicKey) {
      this.requireNonExtractable(privateKey, label);
    } else {
      if (privateKey || publicKey)
        throw new CustodyError(`The token holds only one half of the key pair "${label}": remove it to have a new pair made.`);
      ({ privateKey, publicKey } = p.C_GenerateKeyPair(
        session,
        { mechanism: ck.CKM_EC_KEY_PAIR_GEN },
        [
          { type: ck.CKA_TOKEN, value: true },
          { type: ck.CKA_LABEL, value: label },
          { type: ck.CKA_EC_PARAMS, value: P256_PARAMS },
          { type: ck.CKA_VERIFY, value: false },
        ],
        [
          { type: ck.CKA_TOKEN, value: true },
          { type: ck.CKA_LABEL, value: label },
          { type: ck.CKA_PRIVATE, value: true },
          { type: ck.CKA_SENSITIVE, value: true },
          { type: ck.CKA_EXTRACTABLE, value: false },
          { type: ck.CKA_DERIVE, value: true },
          { type: ck.CKA_SIGN, value: false },
        ],
      ));
      this.options.logger.info({ label }, 'generated a history key pair in the token (private half non-extractable)');
    }
    const [point] = p.C_GetAttributeValue(session, publicKey, [{ type: ck.CKA_EC_POINT }]);
    const raw = uncompressedPoint(point?.value);
    const jwk = { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') };
    const publicJwk = publicJwkSchema.parse({ ...jwk, kid: await calculateJwkThumbprint(jwk) });
    return { publicJwk, privateKey };
  }

  async historyPublicKey(siteId: string): Promise<PublicJwk> {
    return (await this.historyKey(siteId)).publicJwk;
  }

  async historyKek(siteId: string, header: AgreementHeader): Promise<Uint8Array> {
    const { ck, p, session } = this;
    const { privateKey } = await this.historyKey(siteId);
    const epk = Buffer.concat([Buffer.from([4]), Buffer.from(header.epk.x, 'base64url'), Buffer.from(header.epk.y, 'base64url')]);
    if (epk.length !== 65) throw new CustodyError('The ephemeral key is not a P-256 point.');
    const ecdh: ECDH1 = { type: ck.CK_PARAMS_EC_DH, kdf: ck.CKD_NULL, publicData: epk };
    const z = p.C_DeriveKey(session, { mechanism: ck.CKM_ECDH1_DERIVE, parameter: ecdh }, privateKey, [
      { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
      { type: ck.CKA_KEY_TYPE, value: ck.CKK_GENERIC_SECRET },
      { type: ck.CKA_VALUE_LEN, value: 32 },
      { type: ck.CKA_TOKEN, value: false },
      { type: ck.CKA_SENSITIVE, value: true },
      { type: ck.CKA_EXTRACTABLE, value: false },
    ]);
    try {
      // RFC 7518 §4.6.2 in the token: SHA-256(counter || Z || OtherInfo); Z stays inside.
      p.C_DigestInit(session, { mechanism: ck.CKM_SHA256 });
      p.C_DigestUpdate(session, CONCAT_KDF_COUNTER);
      p.C_DigestKey(session, z);
      p.C_DigestUpdate(session, concatKdfOtherInfo(KEY_ALGORITHM, 256, header.apu, header.apv));
      return new Uint8Array(p.C_DigestFinal(session, Buffer.alloc(32)));
    } finally {
      p.C_DestroyObject(session, z);
    }
  }

  private release(): void {
    this.library.users -= 1;
    if (this.library.users === 0) {
      libraries.delete(this.options.module);
      try {
        this.p.C_Finalize();
      } catch {
        // already finalized: nothing left to release
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.p.C_CloseSession(this.session);
    } catch {
      // the token went away: the session is gone with it
    }
    this.release();
  }
}

/** The slot id of a slot handle (CK_SLOT_ID, native byte order). */
function slotId(handle: Handle): bigint {
  return handle.length >= 8 ? handle.readBigUInt64LE(0) : BigInt(handle.readUInt32LE(0));
}

function isTrue(value: unknown): boolean {
  return value === true || (Buffer.isBuffer(value) && value.length > 0 && value[0] !== 0);
}

/** The 65-byte uncompressed point of CKA_EC_POINT (DER OCTET STRING, or raw from some tokens). */
function uncompressedPoint(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) {
    if (value.length === 67 && value[0] === 0x04 && value[1] === 0x41 && value[2] === 0x04) return value.subarray(2);
    if (value.length === 65 && value[0] === 0x04) return value;
  }
  throw new CustodyError('The token gave a history public key that is not an uncompressed P-256 point.');
}
