/**
 * The site history key (P-256, ECDH-ES+A256KW): where a site enables history viewing, the frame
 * seals on-the-record answers to it as a second recipient. The private half is kept as a JWK in the
 * data directory, mode 0600, one file per site (in production: an HSM or KMS), and used only to
 * re-seal a response to a manager panel's one-view public key. Without a data directory (tests)
 * the key lives in memory.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { KEY_ALGORITHM, publicJwkSchema, type PublicJwk } from '@secure-forms/shared';

interface Loaded {
  publicJwk: PublicJwk;
  privateKey: CryptoKey;
}

export class HistoryKeys {
  private readonly loaded = new Map<string, Promise<Loaded>>();

  constructor(private readonly dataDir: string | undefined) {}

  file(siteId: string): string | undefined {
    return this.dataDir ? join(this.dataDir, `history-key-${siteId}.jwk`) : undefined;
  }

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
    const file = this.file(siteId);
    let jwk: JWK;
    if (file && existsSync(file)) {
      jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } else {
      const pair = await generateKeyPair(KEY_ALGORITHM, { crv: 'P-256', extractable: true });
      const exported = await exportJWK(pair.privateKey);
      jwk = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y, d: exported.d };
      jwk.kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
      if (file) {
        writeFileSync(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      }
    }
    const privateKey = (await importJWK({ ...jwk, alg: undefined, kid: undefined }, KEY_ALGORITHM)) as CryptoKey;
    const publicJwk = publicJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid });
    return { publicJwk, privateKey };
  }

  /** The public half, with its kid (the JWK thumbprint), created on first use. */
  async publicKey(siteId: string): Promise<PublicJwk> {
    return (await this.load(siteId)).publicJwk;
  }

  /** The private half as a non-exported CryptoKey, for re-sealing only. */
  async privateKey(siteId: string): Promise<CryptoKey> {
    return (await this.load(siteId)).privateKey;
  }
}
