/**
 * Passkeys (WebAuthn) as an operator's second factor, through @simplewebauthn/server: the
 * ceremonies' options and the verification of their answers, and an operator's list of passkeys.
 *
 * - Relying party: the site's `secondFactor.passkeyRpId`, else the host of its first brand origin;
 *   the expected origins are the site's brand origins, where the agent workspace runs (the page
 *   that calls `navigator.credentials`; the PCI origin only answers its fetches).
 * - Challenges: 32 random bytes (the library's), single use, five minutes, held in the ephemeral
 *   state (Redis when there are several instances) by their hash with what they are for and what
 *   they are bound to: the session that asked (registration, step-up) or the sign-in's own
 *   second-factor challenge. An answer takes its challenge first, atomically, so of any number of
 *   concurrent answers to one challenge exactly one is checked.
 * - User verification: "preferred", not required, where the passkey is the possession factor beside
 *   the password (PCI DSS 8.3.1, 8.4.2), so an authenticator without a PIN or biometric still
 *   counts; "required" for a sign-in with a passkey alone (where the site allows it), where the
 *   authenticator's PIN or biometric is the second factor.
 * - Signature counter: an assertion whose counter does not increase over the stored one (when
 *   either is non-zero) is a cloned authenticator's: refused with PASSKEY_CLONED, nothing updated.
 */
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Passkey } from '@secure-forms/shared';
import { Refusal } from '../domain/refusal.js';
import { sha256 } from '../crypto/tokens.js';
import type { OnceStore } from '../ephemeral/types.js';
import type { SiteConfig } from '../sites/schema.js';
import type { PasskeyRow } from '../storage/passkey-types.js';
import type { OperatorRow, Store } from '../storage/types.js';

/** How long a ceremony may take, from its options to its answer. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

/** What a ceremony's challenge is for, and what it is bound to. */
export type PasskeyPurpose = 'register' | 'second-factor' | 'step-up' | 'passwordless';
interface Held {
  purpose: PasskeyPurpose;
  operatorId: string;
  /** The session's token hash (register, step-up) or the sign-in challenge's hash (second-factor). */
  bind: string;
}

/**
 * @simplewebauthn/server, loaded at the first ceremony: with its ASN.1 and X.509 dependencies it
 * holds about 4 MB of heap (16 MB resident with its code), and many sites' operators never use a
 * passkey. Every ceremony is asynchronous already, so the import adds no new failure point at start.
 */
let webauthnLibrary: Promise<typeof import('@simplewebauthn/server')> | undefined;
function webauthn(): Promise<typeof import('@simplewebauthn/server')> {
  webauthnLibrary ??= import('@simplewebauthn/server').catch((error: unknown) => {
    webauthnLibrary = undefined;
    throw error;
  });
  return webauthnLibrary;
}

/** The relying party id of a site. */
export function rpId(site: SiteConfig): string {
  return site.secondFactor.passkeyRpId ?? new URL(site.brandOrigins[0]!).hostname;
}

/** A passkey as its operator sees it. */
export function publicPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
  };
}

/** Thrown by {@link PasskeyCeremonies.verifyAssertion}: whether the answer should count towards the lock. */
export class PasskeyRefusal extends Refusal {
  /** A wrong or cloned passkey (counted), rather than a spent challenge (not counted). */
  counted = true;
}

function refusedPasskey(): PasskeyRefusal {
  return new PasskeyRefusal(
    'PASSKEY_REFUSED',
    'That passkey is not one registered to this account, or its answer did not verify. Use a passkey you added here.',
  );
}

function spentChallenge(): PasskeyRefusal {
  const error = new PasskeyRefusal('PASSKEY_CHALLENGE_USED', 'This passkey request has expired or was already answered. Start again.');
  error.counted = false;
  return error;
}

/** The challenge a WebAuthn answer signed (its client data), or '' when that does not parse. */
function answeredChallenge(clientDataJSON: string): string {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : '';
  } catch {
    return '';
  }
}

export class PasskeyCeremonies {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly challenges: OnceStore,
  ) {}

  private async hold(challenge: string, held: Held, expiresAt = this.clock() + PASSKEY_CHALLENGE_TTL_MS): Promise<void> {
    await this.challenges.put(sha256(challenge), JSON.stringify(held), expiresAt);
  }

  /** Take the challenge an answer signed: once, unexpired, for `purpose`, bound to `bind` (else a refusal). */
  private async take(clientDataJSON: string, purpose: PasskeyPurpose, bind: string): Promise<{ challenge: string; held: Held }> {
    const challenge = answeredChallenge(clientDataJSON);
    if (!challenge) throw refusedPasskey();
    const took = await this.challenges.take(sha256(challenge));
    if (took.state !== 'available') throw spentChallenge();
    const held = JSON.parse(took.value) as Held;
    // A challenge issued for another ceremony or another session is not this one's.
    if (held.purpose !== purpose || held.bind !== bind) throw refusedPasskey();
    return { challenge, held };
  }

  /** Options to register a new passkey of `operator`, bound to the session `tokenHash`. */
  async registrationOptions(site: SiteConfig, operator: OperatorRow, tokenHash: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.store.listPasskeys(operator.id);
    const options = await (
      await webauthn()
    ).generateRegistrationOptions({
      rpName: site.title,
      rpID: rpId(site),
      userName: operator.username,
      userDisplayName: operator.displayName,
      // The operator's id (random, not personal) is the WebAuthn user handle.
      userID: new TextEncoder().encode(operator.id),
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.hold(options.challenge, { purpose: 'register', operatorId: operator.id, bind: tokenHash });
    return options;
  }

  /** Verify a registration and store the passkey under `name`. */
  async register(
    site: SiteConfig,
    operator: OperatorRow,
    tokenHash: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<Passkey> {
    const { challenge, held } = await this.take(response.response.clientDataJSON, 'register', tokenHash);
    if (held.operatorId !== operator.id) throw refusedPasskey();
    // Loaded before the try: a library that cannot be loaded is the server's fault, not a refused passkey.
    const { verifyRegistrationResponse } = await webauthn();
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: site.brandOrigins,
        expectedRPID: rpId(site),
        requireUserVerification: false,
      });
    } catch {
      // The library's message may quote what the client sent: the refusal says its own sentence.
      throw refusedPasskey();
    }
    if (!verified.verified) throw refusedPasskey();
    const { credential } = verified.registrationInfo;
    const row: PasskeyRow = {
      id: credential.id,
      operatorId: operator.id,
      siteId: site.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: (credential.transports ?? []).join(','),
      name,
      createdAt: this.clock(),
      lastUsedAt: null,
    };
    if (!(await this.store.insertPasskey(row))) {
      throw new Refusal('PASSKEY_REFUSED', 'That passkey is already registered. Use another authenticator, or keep the one you have.');
    }
    return publicPasskey(row);
  }

  /** Options for an assertion by one of `operator`'s passkeys; null when it has none. */
  async assertionOptions(
    site: SiteConfig,
    operator: OperatorRow,
    purpose: 'second-factor' | 'step-up',
    bind: string,
    expiresAt?: number,
  ): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
    const passkeys = await this.store.listPasskeys(operator.id);
    if (passkeys.length === 0) return null;
    const options = await (
      await webauthn()
    ).generateAuthenticationOptions({
      rpID: rpId(site),
      allowCredentials: passkeys.map((p) => ({ id: p.id, transports: transportsOf(p) })),
      userVerification: 'preferred',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    await this.hold(options.challenge, { purpose, operatorId: operator.id, bind }, expiresAt);
    return options;
  }

  /** Options for an assertion by any passkey of the site (discoverable), user verification required. */
  async discoverableOptions(site: SiteConfig): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await (
      await webauthn()
    ).generateAuthenticationOptions({
      rpID: rpId(site),
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    await this.hold(options.challenge, { purpose: 'passwordless', operatorId: '', bind: site.id });
    return options;
  }

  /**
   * Verify a passkey-alone sign-in on `site`: the assertion must be user-verified and by a passkey
   * registered on this site. Returns the passkey's operator id. Throws a {@link PasskeyRefusal}.
   */
  async verifyDiscoverable(site: SiteConfig, response: AuthenticationResponseJSON): Promise<string> {
    const { challenge } = await this.take(response.response.clientDataJSON, 'passwordless', site.id);
    const passkey = await this.store.findPasskey(response.id);
    if (!passkey || passkey.siteId !== site.id) throw refusedPasskey();
    await this.check(site, passkey, challenge, response, true);
    return passkey.operatorId;
  }

  /**
   * Verify an assertion of one of `operator`'s own passkeys, answering a challenge of `purpose`
   * bound to `bind`, and accept its signature counter. Throws a {@link PasskeyRefusal}.
   */
  async verifyAssertion(
    site: SiteConfig,
    operator: OperatorRow,
    purpose: 'second-factor' | 'step-up',
    bind: string,
    response: AuthenticationResponseJSON,
  ): Promise<void> {
    const { challenge, held } = await this.take(response.response.clientDataJSON, purpose, bind);
    const passkey = await this.store.findPasskey(response.id);
    // Unknown, removed, or another operator's passkey: the same refusal.
    if (!passkey || passkey.operatorId !== operator.id || held.operatorId !== operator.id) throw refusedPasskey();
    await this.check(site, passkey, challenge, response, false);
  }

  /** The signature, then the counter (accepted atomically): a refusal of either. */
  private async check(
    site: SiteConfig,
    passkey: PasskeyRow,
    challenge: string,
    response: AuthenticationResponseJSON,
    requireUserVerification: boolean,
  ): Promise<void> {
    const { verifyAuthenticationResponse } = await webauthn();
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: site.brandOrigins,
        expectedRPID: rpId(site),
        // The library checks the counter before the signature and with one message for both
        // cases; it is given 0 here so that the signature is proven first, and the counter is
        // then checked below, where a clone gets its own code and the update is atomic.
        credential: { id: passkey.id, publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: transportsOf(passkey) },
        requireUserVerification,
      });
    } catch {
      throw refusedPasskey();
    }
    if (!verified.verified) throw refusedPasskey();
    const counter = verified.authenticationInfo.newCounter;
    if (!(await this.store.acceptPasskeyUse(passkey.id, counter, this.clock()))) {
      throw new PasskeyRefusal(
        'PASSKEY_CLONED',
        'This passkey answered with a signature counter that did not increase, as a copied authenticator would. Sign in with another passkey and remove this one, or ask an administrator.',
      ).withActor(passkey.operatorId);
    }
  }
}

function transportsOf(p: PasskeyRow): AuthenticatorTransportFuture[] {
  return p.transports ? (p.transports.split(',') as AuthenticatorTransportFuture[]) : [];
}
