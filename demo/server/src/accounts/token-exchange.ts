/**
 * Signing an agent in with a workspace token (`POST /v1/sessions/token-exchange`, in the manner of
 * RFC 8693): the token verified and its `jti` taken (workspace-token.ts), the operator the brand
 * names by `sub` found by its `externalId`, the token's `roles` checked against the operator's
 * role, then the same lock, second factor and session as a password sign-in
 * (`AccountService.signInAsserted`).
 *
 * Roles: the session's role is always the sites file's. The token's `roles` must include it; a
 * token can only confirm the role, never raise it (an agent's token claiming `admin` alone is
 * refused, and one claiming both signs the agent in as an agent).
 *
 * Rate limits: counted in the sign-in windows, per client address before the token is read and per
 * operator once it is known, so exchanges and password sign-ins share one budget.
 */
import {
  amrShowsSecondFactor,
  WORKSPACE_TOKEN_REFUSAL_CODES,
  WORKSPACE_TOKEN_REFUSALS,
  type WorkspaceTokenRefusal,
} from '@secure-forms/shared';
import { operatorActor } from '../audit/actors.js';
import { Refusal } from '../domain/refusal.js';
import type { EphemeralState } from '../ephemeral/types.js';
import type { Sites, SiteConfig } from '../sites/schema.js';
import type { Store } from '../storage/types.js';
import type { AccountService, LoginOutcome } from './accounts.js';
import { isLocked, secondFactorRequired } from './operators.js';
import { RateLimiter } from './rate-limit.js';
import { SignInRefused } from './refusals.js';
import { WorkspaceTokenRefused, WorkspaceTokenVerifier, type TokenAudit } from './workspace-token.js';

/** What an exchange's audit line records beyond the action: the operator, the key id, the jti hashed, why refused. */
export interface ExchangeAudit {
  actor?: string;
  workspaceToken: TokenAudit;
}

/**
 * The audit actor of an exchange whose token the site's key signed, until the operator is known:
 * the site's workspace backend, by key id. Refusals before that (a forged or unreadable token) stay
 * `anonymous`, sampled as every anonymous refusal is.
 */
const workspaceKeyActor = (keyId: string) => `workspace-key:${keyId}`;

/** A refusal for `reason`, with its code and next step (shared's vocabulary). */
const refusal = (reason: WorkspaceTokenRefusal, sentence: string) =>
  new Refusal(WORKSPACE_TOKEN_REFUSAL_CODES[reason], `${sentence} ${WORKSPACE_TOKEN_REFUSALS[reason]}`, [
    { path: 'subject_token', reason },
  ]);

/** One sentence for an unknown agent, an operator without that external id and a locked one alike. */
const NO_SUCH_AGENT = 'The workspace token names no operator of this site who may sign in now.';

/** Exchanges workspace tokens for sessions, for every site. */
export class TokenExchange {
  private readonly verifier: WorkspaceTokenVerifier;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly accounts: AccountService,
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    ephemeral: EphemeralState,
  ) {
    this.verifier = new WorkspaceTokenVerifier(ephemeral.windows('workspace-token-jti'), clock);
    // The sign-in namespace: the same windows as password sign-ins (attempts.ts).
    this.limiter = new RateLimiter(ephemeral.windows('sign-in'), clock);
  }

  private async rateLimit(site: SiteConfig, key: string, limit: number, audit: ExchangeAudit): Promise<void> {
    const wait = await this.limiter.hit(key, limit, site.loginRateLimit.windowSeconds * 1000);
    if (wait > 0) {
      const error = new SignInRefused('RATE_LIMITED', 'Too many sign-in attempts. Wait a moment, then try again.').retryAfter(wait);
      error.auditActor = audit.actor ?? 'anonymous';
      throw error;
    }
  }

  /** Exchange `token` for a session of the operator it names (or the second-factor challenge); `audit` is filled in as it goes. */
  async exchange(siteId: string, token: string, address: string, audit: ExchangeAudit): Promise<LoginOutcome> {
    const site = this.sites.get(siteId);
    if (!site) throw new WorkspaceTokenRefused('not_configured', {});
    await this.rateLimit(site, `ip:${address}`, site.loginRateLimit.perAddress, audit);
    let verified;
    try {
      verified = await this.verifier.verify(site, token);
    } catch (error) {
      if (error instanceof WorkspaceTokenRefused) {
        audit.workspaceToken = { ...error.audit, problem: error.problem };
        if (error.signed && error.audit.keyId) audit.actor = workspaceKeyActor(error.audit.keyId);
      }
      throw error;
    }
    audit.workspaceToken = { ...verified.audit };
    audit.actor = workspaceKeyActor(verified.audit.keyId);
    const noSuchAgent = (problem: 'unknown_agent' | 'locked') => {
      audit.workspaceToken.problem = problem;
      return refusal('unknown_agent', NO_SUCH_AGENT);
    };
    const spec = site.operators.find((o) => o.externalId === verified.subject);
    const operator = spec && (await this.store.findOperatorByUsername(site.id, spec.username));
    if (!operator) throw noSuchAgent('unknown_agent');
    audit.actor = operatorActor(operator.id);
    await this.rateLimit(site, `op:${operator.id}`, site.loginRateLimit.perOperator, audit);
    if (!verified.roles.includes(operator.role)) {
      audit.workspaceToken.problem = 'role';
      throw refusal('role', "The workspace token's roles do not include this operator's role.");
    }
    const secondFactorDone = amrShowsSecondFactor(verified.amr);
    // An operator with no second factor set up that the site accepts (no passkey, no TOTP) cannot
    // take the second-factor step: told apart for the brand, after the lock (a locked operator gets
    // the unknown agent's answer, whatever else is true).
    if (
      !secondFactorDone &&
      secondFactorRequired(site, operator.role) &&
      !isLocked(operator, site, this.clock()) &&
      (await this.accounts.methodsOf(site, operator)).length === 0
    ) {
      audit.workspaceToken.problem = 'second_factor';
      throw refusal('second_factor', 'The site asks this operator for a second factor: the token shows none and none is set up.');
    }
    return this.accounts.signInAsserted(site, operator, secondFactorDone, () => noSuchAgent('locked'));
  }
}
