/**
 * Verifying a workspace token: the short-lived JWT a brand's workspace backend signs for one of
 * its agents, exchanged at `POST /v1/sessions/token-exchange` for a session. Verification is
 * jose's (`jwtVerify` on the site's public keys, those of the sites file and those it publishes
 * (workspace-keys.ts), an allowlist of asymmetric algorithms, issuer, audience, expiry, `iat` at
 * most 5 minutes old and not in the future); what
 * is this product's own is written here: the lifetime cap (`exp - iat` at most 5 minutes), the
 * claims it reads (`sub`, `roles`, `amr`, `jti`), and `jti` taken once across every instance.
 *
 * Nothing here holds or logs the token: refusals carry a fixed reason, the id of a registered key
 * and the SHA-256 of the `jti` (bounded and uniform in the audit, and never the token). The
 * token's header must name its key (`kid`): a token naming no registered key is refused before
 * any signature is checked (a site that publishes its keys looks the kid up in the published set,
 * fetched at most once per cooldown however many kids are named).
 */
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import {
  WORKSPACE_TOKEN_MAX_LIFETIME_SECONDS,
  WORKSPACE_TOKEN_REFUSAL_CODES,
  WORKSPACE_TOKEN_REFUSALS,
  type WorkspaceTokenRefusal,
} from '@secure-forms/shared';
import { sha256 } from '../crypto/tokens.js';
import { Refusal } from '../domain/refusal.js';
import type { WindowCounters } from '../ephemeral/types.js';
import type { SiteConfig } from '../sites/schema.js';
import { JwksUnavailable, SiteWorkspaceKeys, type SiteKeysOptions } from './workspace-keys.js';

/** Clock skew allowed between the workspace backend and this server, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Why a token was refused, as the answer's `fields[].reason` and the audit line name it (shared's
 * vocabulary, with each one's next step and code, 401). The reason helps the brand fix its
 * backend and tells a forger nothing it did not know (WORKSPACE_TOKEN_REFUSAL_CODES says why).
 */
export type TokenProblem = Exclude<WorkspaceTokenRefusal, 'unknown_agent' | 'role' | 'second_factor'>;

/** What a refused token's audit line records: the reason, the registered key named, the jti hashed, why the published keys could not be read. */
export interface TokenAudit {
  problem?: string;
  keyId?: string;
  jtiHash?: string;
  jwks?: string;
}

/** A refused workspace token, with what its audit line needs. */
export class WorkspaceTokenRefused extends Refusal {
  constructor(
    readonly problem: TokenProblem,
    readonly audit: TokenAudit,
    /**
     * The signature verified on a registered key (the claims failed): the site's workspace backend
     * made this token, so its refusal is audited as that key's, in full, rather than sampled as an
     * anonymous caller's.
     */
    readonly signed = false,
  ) {
    super(WORKSPACE_TOKEN_REFUSAL_CODES[problem], `The workspace token was refused (${problem}). ${WORKSPACE_TOKEN_REFUSALS[problem]}`, [
      { path: 'subject_token', reason: problem },
    ]);
  }
}

/** A verified token: whom it names and what it says about them. */
export interface VerifiedWorkspaceToken {
  /** `sub`: the brand's id of the agent (an operator's `externalId`). */
  subject: string;
  roles: string[];
  /** `amr` (RFC 8176): how the brand's identity provider authenticated the agent. */
  amr: string[];
  audit: Required<Pick<TokenAudit, 'keyId' | 'jtiHash'>>;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

/** The SHA-256 of a token's `jti` within its site (what the audit and the single-use count hold), when it has a usable one. */
function hashJti(site: SiteConfig, jti: unknown): string | undefined {
  return typeof jti === 'string' && jti.length > 0 && jti.length <= 200 ? sha256(`${site.id}\n${jti}`) : undefined;
}

/** The reason for one of jose's refusals (anything else it throws is a token it cannot read). */
function problemOf(error: unknown): TokenProblem {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iat') return 'issued_in_future';
    if (error.claim === 'nbf') return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  return 'malformed';
}

/** Verifies workspace tokens for every site, and takes each `jti` once. */
export class WorkspaceTokenVerifier {
  private readonly keySets = new Map<string, SiteWorkspaceKeys>();

  constructor(
    /**
     * Where each `jti` is counted until its token expires: the first count takes it. Fixed-window
     * counters are atomic on every instance (a Lua script on Redis), so of any number of
     * concurrent exchanges of one token, on any instance, exactly one counts first.
     */
    private readonly jtis: WindowCounters,
    private readonly clock: () => number,
    private readonly keyOptions: SiteKeysOptions = {},
  ) {}

  private keysOf(site: SiteConfig, settings: NonNullable<SiteConfig['workspaceTokens']>): SiteWorkspaceKeys {
    let keys = this.keySets.get(site.id);
    if (!keys) this.keySets.set(site.id, (keys = new SiteWorkspaceKeys(settings, this.clock, this.keyOptions)));
    return keys;
  }

  /** Verify `token` for `site` and take its `jti`; a WorkspaceTokenRefused otherwise. */
  async verify(site: SiteConfig, token: string): Promise<VerifiedWorkspaceToken> {
    const settings = site.workspaceTokens;
    if (!settings) throw new WorkspaceTokenRefused('not_configured', {});
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new WorkspaceTokenRefused('malformed', {});
    }
    const keys = this.keysOf(site, settings);
    if (typeof kid !== 'string' || !keys.mayHave(kid)) throw new WorkspaceTokenRefused('unknown_key', {});
    // The id of a registered key, never free text from the token: a kid of the sites file at once,
    // a published one once the published set has given its key.
    let keyId = keys.isInline(kid) ? kid : undefined;
    const now = this.clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header, input) => {
          const key = await keys.getKey(header, input);
          keyId = kid;
          return key;
        },
        {
          algorithms: keys.algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          currentDate: new Date(now),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: WORKSPACE_TOKEN_MAX_LIFETIME_SECONDS,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        },
      ));
    } catch (error) {
      if (error instanceof JwksUnavailable) {
        throw new WorkspaceTokenRefused('keys_unavailable', { jwks: error.failure }).retryAfter(error.retryAfterSeconds);
      }
      // jose checks the signature before the claims: a claim refusal is of a token the site's key signed.
      const signed = error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired;
      const jtiHash = signed ? hashJti(site, error.payload.jti) : undefined;
      throw new WorkspaceTokenRefused(problemOf(error), { ...(keyId ? { keyId } : {}), ...(jtiHash ? { jtiHash } : {}) }, signed);
    }
    // The key was found: keyId is the token's kid.
    const verifiedKeyId = keyId ?? kid;
    const jtiHash = hashJti(site, payload.jti);
    const audit = { keyId: verifiedKeyId, ...(jtiHash ? { jtiHash } : {}) };
    const roles = stringList(payload.roles);
    const amr = payload.amr === undefined ? [] : stringList(payload.amr);
    if (!jtiHash || typeof payload.sub !== 'string' || !roles || !amr) throw new WorkspaceTokenRefused('missing_claim', audit, true);
    // jose checked exp and iat each against now; a token minted to live longer than 5 minutes is
    // refused however fresh it is, so that a leaked one is worth little.
    if (payload.exp! - payload.iat! > WORKSPACE_TOKEN_MAX_LIFETIME_SECONDS) throw new WorkspaceTokenRefused('lifetime', audit, true);
    // Counted until the token can no longer pass the expiry check: a replay within that time finds the count.
    const heldMs = (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000 - now + 1000;
    if ((await this.jtis.hit(jtiHash, heldMs)).count > 1) throw new WorkspaceTokenRefused('replayed', audit, true);
    return { subject: payload.sub, roles, amr, audit: { keyId: verifiedKeyId, jtiHash } };
  }
}
