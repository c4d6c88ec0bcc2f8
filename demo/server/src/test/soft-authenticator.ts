/**
 * A software WebAuthn authenticator for tests: real "none" attestations and ES256 assertions made
 * with node:crypto keys, so that the backend's @simplewebauthn/server verifies them exactly as it
 * would a browser's. Written here because no maintained npm package makes WebAuthn responses
 * outside a browser (the browser tests use Chromium's own virtual authenticator through CDP).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** One credential the authenticator holds. */
export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  /** The signature counter the next assertion reports (after adding one), unless `counting` is off. */
  counter: number;
  counting: boolean;
}

/** The JSON a browser's `startRegistration` returns. */
export interface RegistrationJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
}

/** The JSON a browser's `startAuthentication` returns. */
export interface AssertionJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string };
  clientExtensionResults: Record<string, never>;
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
  const key = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, Buffer.from(jwk.x!, 'base64url')],
    [-3, Buffer.from(jwk.y!, 'base64url')],
  ]);
  return isoCBOR.encode(key);
}

function counterBytes(counter: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(counter);
  return b;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** Answer registration options: a new credential on this authenticator. */
  register(options: { challenge: string; rp: { id?: string } }, settings: { counting?: boolean } = {}): RegistrationJson {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: SoftCredential = {
      id: randomBytes(16),
      privateKey,
      publicKey,
      rpId,
      counter: 0,
      counting: settings.counting ?? true,
    };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    // Flags: user present (0x01), user verified (0x04), attested credential data (0x40).
    const authData = Buffer.concat([
      sha(rpId),
      Buffer.from([0x45]),
      counterBytes(0),
      Buffer.alloc(16),
      idLength,
      credential.id,
      coseKey(publicKey),
    ]);
    const clientData = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false });
    const attestation = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestation), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /** Answer assertion options with `credential` (default: the first one), signing what it is given. */
  assert(
    options: { challenge: string; rpId?: string },
    credential = this.credentials[0]!,
    overrides: { origin?: string; userVerified?: boolean } = {},
  ): AssertionJson {
    if (credential.counting) credential.counter += 1;
    const authData = Buffer.concat([
      sha(options.rpId ?? credential.rpId),
      Buffer.from([overrides.userVerified === false ? 0x01 : 0x05]),
      counterBytes(credential.counter),
    ]);
    const clientData = JSON.stringify({
      type: 'webauthn.get',
      challenge: options.challenge,
      origin: overrides.origin ?? this.origin,
      crossOrigin: false,
    });
    const signature = sign('sha256', Buffer.concat([authData, sha(clientData)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }

  /** A copy of `credential` (same key, same counter) on another authenticator: a clone. */
  static clone(credential: SoftCredential, origin: string): SoftAuthenticator {
    const copy = new SoftAuthenticator(origin);
    copy.credentials.push({ ...credential });
    return copy;
  }
}
