/**
 * The site history keys (P-256, ECDH-ES+A256KW): where a site enables history viewing, the frame
 * seals on-the-record answers to its public half as a second recipient. The private half stays in
 * the key custody (a JWK file for the local custody; non-extractable in the HSM for PKCS#11) and
 * is used only to open that copy for a manager's one-view re-seal: the custody does the ECDH and
 * the Concat KDF, jose does the rest of the JWE (openAnswersWithAgreement).
 */
import { openAnswersWithAgreement, type Answers, type EnvelopeBinding, type PublicJwk, type SealedEnvelope } from '@secure-forms/shared';
import { LocalCustody } from './custody/local.js';
import type { KeyCustody } from './custody/types.js';

export class HistoryKeys {
  constructor(private readonly custody: KeyCustody) {}

  /** The public half, with its kid (the JWK thumbprint), created on first use. */
  publicKey(siteId: string): Promise<PublicJwk> {
    return this.custody.historyPublicKey(siteId);
  }

  /** Open the history copy of `envelope` with the site's history key; EnvelopeError when it is not one. */
  open(envelope: SealedEnvelope, binding: EnvelopeBinding): Promise<Answers> {
    return openAnswersWithAgreement(envelope, (header) => this.custody.historyKek(binding.siteId, header), binding);
  }

  /**
   * The private half as a non-exportable WebCrypto key: only the local custody has one (tests open
   * envelopes with it directly); an HSM's key never leaves the token.
   */
  privateKey(siteId: string): Promise<CryptoKey> {
    if (!(this.custody instanceof LocalCustody)) {
      return Promise.reject(new Error(`The ${this.custody.kind} key custody keeps the history private key inside the token.`));
    }
    return this.custody.historyPrivateKey(siteId);
  }
}
