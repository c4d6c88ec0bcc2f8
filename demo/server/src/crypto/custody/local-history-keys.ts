/**
 * The history keys of the local custody: each site's P-256 private key as a JWK file in the key
 * directory, mode 0600 (without a directory, in memory: tests). The key agreement is node:crypto
 * ECDH and the Concat KDF, the same path the PKCS#11 custody takes inside the token.
 */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { KEY_ALGORITHM, publicJwkSchema, type PublicJwk } from '@secure-forms/shared';
import { readOrCreateKeyFile } from '../key-file.js';
import { concatKdf, concatKdfOtherInfo } from './concat-kdf.js';
import type { AgreementHeader } from './types.js';

interface Loaded {
  publicJwk: PublicJwk;
  privateKey: KeyObject;
}

/** The file name of a site's history key in the key directory. */
export function historyKeyFile(keyDir: string, siteId: string): string {
  return join(keyDir, `history-key-${siteId}.jwk`);
}

export class LocalHistoryKeys {
  private readonly loaded = new Map<string, Promise<Loaded>>();

  constructor(private readonly keyDir: string | undefined) {}

  private load(siteId: string): Promise<Loaded> {
    let p = this.loaded.get(siteId);
    if (!p) {
      p = this.read(siteId);
      this.loaded.set(siteId, p);
      p.catch(() => this.loaded.delete(siteId));
    }
    return p;
  }

  private async read(siteId: string): Promise<Loaded> {
    const file = this.keyDir ? historyKeyFile(this.keyDir, siteId) : undefined;
    let jwk: JWK | undefined = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JWK) : undefined;
    if (!jwk) {
      const pair = await generateKeyPair(KEY_ALGORITHM, { crv: 'P-256', extractable: true });
      const exported = await exportJWK(pair.privateKey);
      jwk = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y, d: exported.d };
      jwk.kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
      // Another process on this key directory may have made the site's key meanwhile: then its key
      // is the key, and the one made here is dropped.
      if (file) jwk = JSON.parse(readOrCreateKeyFile(file, () => `${JSON.stringify(jwk)}\n`).text) as JWK;
    }
    const privateKey = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, format: 'jwk' });
    const publicJwk = publicJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid });
    return { publicJwk, privateKey };
  }

  /** The public half, with its kid (the JWK thumbprint), created on first use. */
  async publicKey(siteId: string): Promise<PublicJwk> {
    return (await this.load(siteId)).publicJwk;
  }

  /** The private half as a WebCrypto key that cannot be exported (tests open envelopes with it). */
  async privateKey(siteId: string): Promise<CryptoKey> {
    const jwk = (await this.load(siteId)).privateKey.export({ format: 'jwk' });
    return (await importJWK({ ...jwk, ext: false }, KEY_ALGORITHM)) as CryptoKey;
  }

  /** ECDH with the recipient's `epk`, then the Concat KDF: the recipient's A256KW key. */
  async kek(siteId: string, header: AgreementHeader): Promise<Uint8Array> {
    const { privateKey } = await this.load(siteId);
    const { kty, crv, x, y } = header.epk;
    const z = diffieHellman({ privateKey, publicKey: createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }) });
    try {
      return concatKdf(z, concatKdfOtherInfo(KEY_ALGORITHM, 256, header.apu, header.apv), 256);
    } finally {
      z.fill(0);
    }
  }
}
