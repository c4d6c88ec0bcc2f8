/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce), per
 * site. Three steps, each single use:
 *
 * 1. `start`: a pending sign-in (PKCE verifier, nonce, where to return, and the hash of a binding
 *    cookie) held under the SHA-256 of its `state` in the ephemeral store — Redis when several
 *    instances run, so that any instance can take the callback — for ten minutes; the browser
 *    goes to the provider.
 * 2. `callback`: the pending sign-in taken (atomically: of any number of concurrent callbacks
 *    with one state, on any instance, exactly one gets it), the code exchanged and the ID token
 *    validated by openid-client, the claims mapped (mapping.ts), the operator provisioned or
 *    updated, or disabled when the claims no longer map; the outcome held under a one-time
 *    hand-off code for a minute, and the browser sent back to the workspace with that code in the
 *    URL fragment.
 * 3. `complete`: the workspace page exchanges the hand-off code for a session through
 *    `AccountService.signInAsserted`, the path a workspace token takes: the same lock check,
 *    second factor (the ID token's `amr` counts as a workspace token's does) and session as a
 *    password sign-in. No session token is ever in a URL or in the ephemeral store.
 *
 * Operators are found by (site, issuer, subject), never by username: an identity at the provider
 * can never take over a local account. Nothing here logs or audits a code, a token, a state or a
 * nonce: refusals carry a fixed reason (shared's SSO_REFUSALS) and, for the audit, the library's
 * error code.
 */
import { randomUUID } from 'node:crypto';
import { amrShowsSecondFactor, SSO_REFUSALS, type ErrorCode, type SsoRefusal } from '@secure-forms/shared';
import { newToken, sha256, type RandomBytes } from '../../crypto/tokens.js';
import { Refusal } from '../../domain/refusal.js';
import type { EphemeralState, OnceStore } from '../../ephemeral/types.js';
import { profilePermissions, type Sites, type SiteConfig } from '../../sites/schema.js';
import type { OperatorRow, Store } from '../../storage/types.js';
import type { AccountService, LoginOutcome } from '../accounts.js';
import { RateLimiter } from '../rate-limit.js';
import { ClaimsUnreadable, mapClaims } from './mapping.js';
import { OidcClients, openidClient, type OidcDeps } from './oidc-client.js';

/** How long a started sign-in may take at the provider. */
export const PENDING_TTL_MS = 10 * 60_000;
/** How long the workspace page has to exchange the hand-off code. */
export const HANDOFF_TTL_MS = 60_000;
/** What a provisioned operator has for a password hash: not a scrypt hash, so no password ever matches it. */
const NO_PASSWORD = 'sso-only';

/**
 * The refusal code of each reason: the codes every sign-in shares (as workspace tokens' refusals
 * use them), so that no client needs a new code; `fields[0].reason` says which, with its next step.
 */
const CODE_OF: Record<SsoRefusal, ErrorCode> = {
  not_configured: 'NOT_FOUND',
  return_to: 'INVALID_CREDENTIALS',
  state: 'INVALID_CREDENTIALS',
  provider_error: 'INVALID_CREDENTIALS',
  token: 'INVALID_CREDENTIALS',
  claims: 'INVALID_CREDENTIALS',
  not_mapped: 'FORBIDDEN',
  unavailable: 'SERVICE_BUSY',
  handoff: 'INVALID_CREDENTIALS',
};

/** A refused single sign-on: the code of its reason, the reason's next step, and what the audit line records. */
export class SsoRefused extends Refusal {
  constructor(
    readonly reason: SsoRefusal,
    /** The library's error code (e.g. OAUTH_JWT_CLAIM_COMPARISON_FAILED) or the provider's OAuth error: for the audit only. */
    readonly detail?: string,
  ) {
    super(CODE_OF[reason], `Single sign-on was refused (${reason}). ${SSO_REFUSALS[reason]}`, [{ path: 'sso', reason }]);
  }
}

interface Pending {
  siteId: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  bindingHash: string;
}

type Handoff = { siteId: string; operatorId: string; secondFactorDone: boolean } | { siteId: string; refused: SsoRefusal };

/** What the callback leads to: the workspace URL with the hand-off code, and the operator when known. */
export interface CallbackOutcome {
  location: string;
  operatorId?: string;
  refused?: SsoRefused;
  /** The operator was disabled now: its sessions were revoked (their event streams are to end). */
  disabled?: boolean;
}

/** Why openid-client refused, as one of our reasons, with its code for the audit. */
async function reasonOf(error: unknown): Promise<SsoRefused> {
  if (error instanceof SsoRefused) return error;
  const client = await openidClient();
  if (error instanceof client.AuthorizationResponseError) return new SsoRefused('provider_error', error.error);
  if (error instanceof client.ResponseBodyError) return new SsoRefused('provider_error', error.error);
  if (error instanceof ClaimsUnreadable) return new SsoRefused('claims');
  if (error instanceof client.ClientError) {
    // Fetch failures and timeouts come through as the library's request errors.
    if (error.code === 'OAUTH_TIMEOUT' || error.cause instanceof TypeError) return new SsoRefused('unavailable', error.code);
    return new SsoRefused('token', error.code);
  }
  if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')) return new SsoRefused('unavailable');
  return new SsoRefused('token');
}

export class SingleSignOn {
  private readonly pending: OnceStore;
  private readonly handoffs: OnceStore;
  private readonly clients: OidcClients;
  private readonly limiter: RateLimiter;
  /** Whether the binding cookie is `Secure` (the PCI origin is https). */
  readonly secureCookie: boolean;

  constructor(
    private readonly accounts: AccountService,
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    private readonly random: RandomBytes,
    ephemeral: EphemeralState,
    oidc: Omit<OidcDeps, 'clock'>,
  ) {
    this.pending = ephemeral.once('sso-pending', 10_000);
    this.handoffs = ephemeral.once('sso-handoff', 10_000);
    this.clients = new OidcClients({ ...oidc, clock });
    this.secureCookie = new URL(oidc.pciOrigin).protocol === 'https:';
    // The sign-in namespace: the same windows as password sign-ins and workspace tokens.
    this.limiter = new RateLimiter(ephemeral.windows('sign-in'), clock);
  }

  /** The site, when it has single sign-on; else the refusal `not_configured`. */
  site(siteId: string): SiteConfig & { sso: NonNullable<SiteConfig['sso']> } {
    const site = this.sites.get(siteId);
    if (!site?.sso) throw new SsoRefused('not_configured');
    return site as SiteConfig & { sso: NonNullable<SiteConfig['sso']> };
  }

  /**
   * Start a sign-in: the provider's authorization URL and the binding cookie's value (the
   * callback must come from the browser that started). `returnTo` must be on a brand origin of
   * the site.
   */
  async start(siteId: string, returnTo: string): Promise<{ url: string; binding: string }> {
    const site = this.site(siteId);
    let origin: string;
    try {
      origin = new URL(returnTo).origin;
    } catch {
      throw new SsoRefused('return_to');
    }
    if (!site.brandOrigins.includes(origin)) throw new SsoRefused('return_to');
    const client = await openidClient();
    const checks = { codeVerifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
    let url: URL;
    try {
      url = await this.clients.authorizationUrl(site, checks);
    } catch (error) {
      throw await reasonOf(error);
    }
    const binding = newToken(this.random);
    const pending: Pending = { siteId, codeVerifier: checks.codeVerifier, nonce: checks.nonce, returnTo, bindingHash: sha256(binding) };
    await this.pending.put(sha256(checks.state), JSON.stringify(pending), this.clock() + PENDING_TTL_MS);
    return { url: url.toString(), binding };
  }

  private async rateLimit(site: SiteConfig, address: string): Promise<void> {
    const wait = await this.limiter.hit(`ip:${address}`, site.loginRateLimit.perAddress, site.loginRateLimit.windowSeconds * 1000);
    if (wait > 0) throw new Refusal('RATE_LIMITED', 'Too many sign-in attempts. Wait a moment, then try again.').retryAfter(wait);
  }

  /** The provider sent the browser back: take the pending sign-in, exchange the code, map the claims. */
  async callback(siteId: string, query: URLSearchParams, binding: string | undefined, address: string): Promise<CallbackOutcome> {
    const site = this.site(siteId);
    await this.rateLimit(site, address);
    const state = query.get('state');
    if (!state || state.length > 200) throw new SsoRefused('state');
    const took = await this.pending.take(sha256(state));
    if (took.state !== 'available') throw new SsoRefused('state');
    const pending = JSON.parse(took.value) as Pending;
    // Another site's state, or a callback in a browser that did not start the sign-in (login CSRF).
    if (pending.siteId !== siteId || !binding || sha256(binding) !== pending.bindingHash) throw new SsoRefused('state');
    const outcome: CallbackOutcome = { location: '' };
    let handoff: Handoff;
    try {
      const claims = await this.clients.exchange(site, query, { codeVerifier: pending.codeVerifier, state, nonce: pending.nonce });
      const signedIn = await this.provision(site, claims, outcome);
      handoff = { siteId, ...signedIn };
    } catch (error) {
      const refused = await reasonOf(error);
      outcome.refused = refused;
      handoff = { siteId, refused: refused.reason };
    }
    const code = newToken(this.random);
    await this.handoffs.put(sha256(code), JSON.stringify(handoff), this.clock() + HANDOFF_TTL_MS);
    const back = new URL(pending.returnTo);
    back.hash = `sso=${code}`;
    outcome.location = back.toString();
    return outcome;
  }

  /** Find or create the operator of the claims; update its role and profile, or disable it when they no longer map. */
  private async provision(
    site: SiteConfig & { sso: NonNullable<SiteConfig['sso']> },
    claims: Record<string, unknown>,
    outcome: CallbackOutcome,
  ) {
    const mapped = mapClaims(site.sso, claims);
    const issuer = site.sso.issuer;
    let identity = await this.store.findSsoIdentity(site.id, issuer, mapped.subject);
    if (identity) outcome.operatorId = identity.operatorId;
    if (!mapped.grant) {
      if (identity && identity.disabledAt === null) {
        await this.store.disableSsoOperator(identity.operatorId, this.clock());
        outcome.disabled = true;
      }
      throw new SsoRefused('not_mapped');
    }
    const { role, profile } = mapped.grant;
    const permissions = profilePermissions(site, profile);
    if (!identity) {
      const now = this.clock();
      const id = randomUUID();
      const operator: OperatorRow = {
        id,
        siteId: site.id,
        // Never shown as a sign-in name and never typed: the identity is found by issuer and subject.
        username: `sso-${sha256(`${issuer}\n${mapped.subject}`).slice(0, 16)}`,
        displayName: mapped.displayName,
        role,
        profile,
        permissions,
        passwordHash: NO_PASSWORD,
        failedLogins: 0,
        lockedAt: null,
        createdAt: now,
        totpSecret: null,
        totpLastStep: null,
      };
      const created = await this.store.provisionSsoOperator(operator, {
        siteId: site.id,
        issuer,
        subject: mapped.subject,
        operatorId: id,
        createdAt: now,
        disabledAt: null,
      });
      if (created) {
        outcome.operatorId = id;
        return { operatorId: id, secondFactorDone: amrShowsSecondFactor(mapped.amr) };
      }
      identity = await this.store.findSsoIdentity(site.id, issuer, mapped.subject);
      if (!identity) throw new SsoRefused('token');
      outcome.operatorId = identity.operatorId;
    }
    // Later sign-ins: the role and profile follow the claims, up or down, and a disabled operator
    // whose claims map again is enabled again.
    await this.store.setOperatorProfile(identity.operatorId, role, profile, permissions, mapped.displayName);
    if (identity.disabledAt !== null) await this.store.enableSsoOperator(identity.operatorId);
    return { operatorId: identity.operatorId, secondFactorDone: amrShowsSecondFactor(mapped.amr) };
  }

  /** The workspace page exchanges the hand-off code for the session (or the second-factor challenge). */
  async complete(siteId: string, code: string): Promise<LoginOutcome> {
    const site = this.site(siteId);
    const took = await this.handoffs.take(sha256(code));
    if (took.state !== 'available') throw new SsoRefused('handoff');
    const handoff = JSON.parse(took.value) as Handoff;
    if (handoff.siteId !== siteId) throw new SsoRefused('handoff');
    if ('refused' in handoff) throw new SsoRefused(handoff.refused);
    const operator = await this.store.findOperator(handoff.operatorId);
    if (!operator) throw new SsoRefused('handoff');
    const locked = () =>
      new Refusal(
        'ACCOUNT_LOCKED',
        'This account is locked for a while after too many failed sign-ins. Wait, or ask an administrator.',
      ).withActor(operator.id);
    return this.accounts.signInAsserted(site, operator, handoff.secondFactorDone, locked);
  }

  /** Where to sign out at the provider after the session ended, when it has an end_session_endpoint (undefined when unreachable too). */
  async endSessionUrl(site: SiteConfig, postLogoutRedirectUri: string): Promise<string | undefined> {
    try {
      return await this.clients.endSessionUrl(site, postLogoutRedirectUri);
    } catch {
      return undefined;
    }
  }
}
