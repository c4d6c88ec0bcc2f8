/**
 * Operators and their sessions. Passwords: scrypt. After `lockoutThreshold` failed logins (password
 * or second factor) an operator is locked until an admin re-enables it (PCI DSS 8.3.4). Sessions:
 * 256-bit random tokens stored as SHA-256, idle timeout and absolute lifetime from the site's
 * settings, invalidated at logout. TOTP second factor (PCI DSS 8.4.2) for managers and admins, and
 * for agents where the site says so. Logins are rate-limited per operator and per client address.
 */
import { randomUUID } from 'node:crypto';
import type { LoginResponse, Operator, SecondFactorChallenge } from '@secure-forms/shared';
import { ApiError } from '../http/errors.js';
import { dummyPasswordHash, hashPassword, passwordPolicyProblem, verifyPassword } from '../crypto/passwords.js';
import { newToken, sha256, type RandomBytes } from '../crypto/tokens.js';
import type { Vault } from '../crypto/vault.js';
import { profilePermissions, type Sites, type SiteConfig } from '../sites/schema.js';
import type { OperatorRow, Role, SessionRow, Store } from '../storage/types.js';
import { RateLimiter } from './rate-limit.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

export interface Authenticated {
  operator: OperatorRow;
  session: SessionRow;
  site: SiteConfig;
}

export function publicOperator(row: OperatorRow): Operator {
  return {
    id: row.id,
    siteId: row.siteId,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    permissions: row.permissions,
  };
}

/** Whether an operator must present a TOTP code: managers and admins always, agents per site. */
export function secondFactorRequired(site: SiteConfig, role: Role): boolean {
  return role !== 'agent' || site.secondFactor.agents;
}

export const CHALLENGE_TTL_MS = 5 * 60_000;

export type LoginOutcome =
  | { kind: 'session'; response: LoginResponse; operator: OperatorRow }
  | { kind: 'second-factor'; response: SecondFactorChallenge; operator: OperatorRow };

const invalid = () => new ApiError('INVALID_CREDENTIALS', 'The username or password is not right.');

export class AccountService {
  private readonly limiter: RateLimiter;
  private readonly challenges = new Map<string, { operatorId: string; siteId: string; expiresAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    private readonly random: RandomBytes,
    private readonly vault: Vault,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  private site(siteId: string): SiteConfig {
    const site = this.sites.get(siteId);
    if (!site) throw invalid();
    return site;
  }

  /** The row with its permissions taken from the site's current profile definition. */
  private withProfile(site: SiteConfig, row: OperatorRow): OperatorRow {
    return { ...row, permissions: profilePermissions(site, row.profile || row.role) };
  }

  private rateLimit(site: SiteConfig | undefined, siteId: string, username: string, address: string): void {
    const limits = site?.loginRateLimit ?? { windowSeconds: 60, perOperator: 10, perAddress: 30 };
    const windowMs = limits.windowSeconds * 1000;
    const byOperator = this.limiter.hit(`op:${siteId}:${username.toLowerCase()}`, limits.perOperator, windowMs);
    const byAddress = this.limiter.hit(`ip:${address}`, limits.perAddress, windowMs);
    const wait = Math.max(byOperator, byAddress);
    if (wait > 0) throw new ApiError('RATE_LIMITED', 'Too many sign-in attempts. Wait a moment, then try again.').retryAfter(wait);
  }

  private async fail(operator: OperatorRow, site: SiteConfig): Promise<never> {
    await this.store.recordFailedLogin(operator.id, site.lockoutThreshold, this.clock());
    throw invalid().withActor(operator.id);
  }

  /** Check a TOTP code for an operator: valid now, and never accepted before. */
  private async checkTotp(operator: OperatorRow, code: string): Promise<boolean> {
    if (!operator.totpSecret) return false;
    const secret = this.vault.unwrapSecret(operator.totpSecret, operator.id);
    const step = totpStep(secret, code, this.clock());
    if (step === null) return false;
    return this.store.acceptTotpStep(operator.id, step);
  }

  /** Log in: password, then the second factor if the operator needs one (in the body, or via a challenge). */
  async login(siteId: string, username: string, password: string, totp: string | undefined, address: string): Promise<LoginOutcome> {
    const known = this.sites.get(siteId);
    this.rateLimit(known, siteId, username, address);
    const site = this.site(siteId);
    const operator = await this.store.findOperatorByUsername(siteId, username);
    if (!operator) {
      await verifyPassword(password, await dummyPasswordHash());
      throw invalid();
    }
    if (operator.lockedAt !== null) {
      throw new ApiError(
        'ACCOUNT_LOCKED',
        'This account is disabled after too many failed logins. An administrator can re-enable it.',
      ).withActor(operator.id);
    }
    if (!(await verifyPassword(password, operator.passwordHash))) await this.fail(operator, site);
    if (secondFactorRequired(site, operator.role)) {
      if (!operator.totpSecret)
        throw new ApiError('FORBIDDEN', 'This account has no second factor set up. Ask an administrator.').withActor(operator.id);
      if (totp === undefined) {
        const challenge = newToken(this.random);
        const expiresAt = this.clock() + CHALLENGE_TTL_MS;
        this.sweepChallenges();
        this.challenges.set(sha256(challenge), { operatorId: operator.id, siteId, expiresAt });
        return {
          kind: 'second-factor',
          operator,
          response: { secondFactorRequired: true, challenge, expiresAt: new Date(expiresAt).toISOString() },
        };
      }
      if (!(await this.checkTotp(operator, totp))) await this.fail(operator, site);
    }
    return { kind: 'session', ...(await this.startSession(site, operator)) };
  }

  /** The second step: a challenge from `login` and the TOTP code. */
  async secondFactor(challenge: string, totp: string, address: string): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const hash = sha256(challenge);
    const pending = this.challenges.get(hash);
    if (!pending || pending.expiresAt <= this.clock()) {
      this.challenges.delete(hash);
      throw new ApiError('UNAUTHENTICATED', 'The sign-in has timed out. Enter your username and password again.');
    }
    const site = this.site(pending.siteId);
    const operator = await this.store.findOperator(pending.operatorId);
    if (!operator) throw invalid();
    this.rateLimit(site, site.id, operator.username, address);
    if (operator.lockedAt !== null) {
      this.challenges.delete(hash);
      throw new ApiError(
        'ACCOUNT_LOCKED',
        'This account is disabled after too many failed logins. An administrator can re-enable it.',
      ).withActor(operator.id);
    }
    if (!(await this.checkTotp(operator, totp))) await this.fail(operator, site);
    this.challenges.delete(hash);
    return this.startSession(site, operator);
  }

  private sweepChallenges(): void {
    const now = this.clock();
    for (const [key, c] of this.challenges) if (c.expiresAt <= now) this.challenges.delete(key);
  }

  private async startSession(site: SiteConfig, row: OperatorRow): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const operator = this.withProfile(site, row);
    await this.store.resetFailedLogins(operator.id);
    const token = newToken(this.random);
    const now = this.clock();
    const session: SessionRow = {
      tokenHash: sha256(token),
      operatorId: operator.id,
      siteId: site.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + site.session.absoluteLifetimeSeconds * 1000,
      revokedAt: null,
    };
    await this.store.insertSession(session);
    return {
      operator,
      response: {
        token,
        operator: publicOperator(operator),
        idleTimeoutSeconds: site.session.idleTimeoutSeconds,
        expiresAt: new Date(session.expiresAt).toISOString(),
      },
    };
  }

  /**
   * The operator behind a session token. `touch` extends the idle timer (every API call does;
   * a long-lived event stream checking itself does not).
   */
  async authenticate(token: string | undefined, touch = true): Promise<Authenticated> {
    if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in first.');
    const session = await this.store.findSession(sha256(token));
    if (!session || session.revokedAt !== null) throw new ApiError('UNAUTHENTICATED', 'Sign in first.');
    const site = this.sites.get(session.siteId);
    const row = await this.store.findOperator(session.operatorId);
    if (!site || !row) throw new ApiError('UNAUTHENTICATED', 'Sign in first.');
    const now = this.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= site.session.idleTimeoutSeconds * 1000) {
      await this.store.revokeSession(session.tokenHash, now);
      throw new ApiError('SESSION_EXPIRED', 'The session has ended. Sign in again.');
    }
    if (row.lockedAt !== null) {
      await this.store.revokeSession(session.tokenHash, now);
      throw new ApiError('ACCOUNT_LOCKED', 'This account is disabled.');
    }
    if (touch) await this.store.touchSession(session.tokenHash, now);
    return { operator: this.withProfile(site, row), session, site };
  }

  async logout(token: string): Promise<void> {
    await this.store.revokeSession(sha256(token), this.clock());
  }

  /** An admin re-enables a locked operator of their own site. */
  async enable(admin: OperatorRow, operatorId: string): Promise<{ operator: Operator; locked: boolean }> {
    if (admin.role !== 'admin') throw new ApiError('FORBIDDEN', 'Only an administrator can re-enable an operator.');
    const target = await this.store.findOperator(operatorId);
    if (!target || target.siteId !== admin.siteId) throw new ApiError('NOT_FOUND', 'There is no such operator.');
    const enabled = (await this.store.enableOperator(operatorId)) ?? target;
    return { operator: publicOperator(this.withProfile(this.site(admin.siteId), enabled)), locked: enabled.lockedAt !== null };
  }

  async findByUsername(siteId: string, username: string): Promise<OperatorRow | undefined> {
    return this.store.findOperatorByUsername(siteId, username);
  }

  async findOperator(id: string): Promise<OperatorRow | undefined> {
    const row = await this.store.findOperator(id);
    const site = row && this.sites.get(row.siteId);
    return row && site ? this.withProfile(site, row) : undefined;
  }

  /**
   * Create an operator, or (when `resetPassword`) set its password; keep role and profile in step
   * with the site configuration. Refuses a password that breaks the site's policy. When the
   * operator needs a second factor and has none, a TOTP secret is made and its otpauth URI
   * returned (to be shown once).
   */
  async ensureOperator(
    siteId: string,
    spec: { username: string; displayName: string; role: Role; profile?: string | undefined },
    password: string | null,
    resetPassword: boolean,
    /** A scrypt hash of `password` made earlier (tests seed many apps with one password). */
    precomputedHash?: string,
    /** The TOTP secret (base32) to enrol with instead of a random one: demo and tests only. */
    chosenTotpSecret?: string,
  ): Promise<{ outcome: 'created' | 'updated' | 'kept'; totpUri?: string; totpSecret?: string }> {
    const site = this.site(siteId);
    const problem = password === null ? null : passwordPolicyProblem(password, { minLength: site.passwordMinLength });
    if (problem) throw new Error(`The demo password must have ${problem}.`);
    const profile = spec.profile ?? spec.role;
    const permissions = profilePermissions(site, profile);
    let outcome: 'created' | 'updated' | 'kept';
    let row = await this.store.findOperatorByUsername(siteId, spec.username);
    if (row) {
      await this.store.setOperatorProfile(row.id, spec.role, profile, permissions, spec.displayName);
      if (password === null || !resetPassword || (await verifyPassword(password, row.passwordHash))) {
        outcome = 'kept';
      } else {
        await this.store.setPasswordHash(row.id, await hashPassword(password));
        outcome = 'updated';
      }
    } else {
      if (password === null) throw new Error(`The operator ${spec.username} needs a password to be created.`);
      row = {
        id: randomUUID(),
        siteId,
        username: spec.username,
        displayName: spec.displayName,
        role: spec.role,
        profile,
        permissions,
        passwordHash: precomputedHash ?? (await hashPassword(password)),
        failedLogins: 0,
        lockedAt: null,
        createdAt: this.clock(),
        totpSecret: null,
        totpLastStep: null,
      };
      await this.store.insertOperator(row);
      outcome = 'created';
    }
    if (secondFactorRequired(site, spec.role) && !row.totpSecret) {
      const secret = chosenTotpSecret ?? newTotpSecret();
      await this.store.setTotpSecret(row.id, this.vault.wrapSecret(secret, row.id));
      return { outcome, totpSecret: secret, totpUri: totpUri(secret, `${site.id}:${spec.username}`) };
    }
    return { outcome };
  }
}
