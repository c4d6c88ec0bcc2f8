/**
 * Operators and their sessions. Passwords: scrypt. After `lockoutThreshold` failed logins an
 * operator is locked until an administrator unlocks it (PCI DSS 8.3.4). Sessions: 256-bit random
 * tokens stored as SHA-256, idle timeout and absolute lifetime from the site's settings,
 * invalidated at logout.
 */
import { randomUUID } from 'node:crypto';
import type { LoginResponse, Operator } from '@secure-forms/shared';
import { ApiError } from '../http/errors.js';
import { dummyPasswordHash, hashPassword, passwordPolicyProblem, verifyPassword } from '../crypto/passwords.js';
import { newToken, sha256, type RandomBytes } from '../crypto/tokens.js';
import type { Sites, SiteConfig } from '../sites/schema.js';
import type { OperatorRow, Permission, Role, SessionRow, Store } from '../storage/types.js';

/** Default permissions per role: agents may use secure forms; history viewing is off by default. */
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  agent: ['use-secure-form'],
  manager: [],
  admin: [],
};

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

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    private readonly random: RandomBytes,
  ) {}

  private site(siteId: string): SiteConfig {
    const site = this.sites.get(siteId);
    if (!site) throw new ApiError('INVALID_CREDENTIALS', 'The username or password is not right.');
    return site;
  }

  /** Log in; on failure count it, and lock at the site's threshold. */
  async login(siteId: string, username: string, password: string): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const site = this.site(siteId);
    const operator = await this.store.findOperatorByUsername(siteId, username);
    if (!operator) {
      await verifyPassword(password, await dummyPasswordHash());
      throw new ApiError('INVALID_CREDENTIALS', 'The username or password is not right.');
    }
    if (operator.lockedAt !== null) {
      throw new ApiError('ACCOUNT_LOCKED', 'This account is locked after too many failed logins.').withActor(operator.id);
    }
    if (!(await verifyPassword(password, operator.passwordHash))) {
      await this.store.recordFailedLogin(operator.id, site.lockoutThreshold, this.clock());
      throw new ApiError('INVALID_CREDENTIALS', 'The username or password is not right.').withActor(operator.id);
    }
    await this.store.resetFailedLogins(operator.id);
    const token = newToken(this.random);
    const now = this.clock();
    const session: SessionRow = {
      tokenHash: sha256(token),
      operatorId: operator.id,
      siteId,
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
    const operator = await this.store.findOperator(session.operatorId);
    if (!site || !operator) throw new ApiError('UNAUTHENTICATED', 'Sign in first.');
    const now = this.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= site.session.idleTimeoutSeconds * 1000) {
      await this.store.revokeSession(session.tokenHash, now);
      throw new ApiError('SESSION_EXPIRED', 'The session has ended. Sign in again.');
    }
    if (operator.lockedAt !== null) {
      await this.store.revokeSession(session.tokenHash, now);
      throw new ApiError('ACCOUNT_LOCKED', 'This account is locked.');
    }
    if (touch) await this.store.touchSession(session.tokenHash, now);
    return { operator, session, site };
  }

  async logout(token: string): Promise<void> {
    await this.store.revokeSession(sha256(token), this.clock());
  }

  /**
   * Create an operator, or (when `resetPassword`) set its password. Refuses a password that breaks
   * the site's policy.
   */
  async ensureOperator(
    siteId: string,
    spec: { username: string; displayName: string; role: Role },
    password: string,
    resetPassword: boolean,
  ): Promise<'created' | 'updated' | 'kept'> {
    const site = this.site(siteId);
    const problem = passwordPolicyProblem(password, { minLength: site.passwordMinLength });
    if (problem) throw new Error(`The demo password must have ${problem}.`);
    const existing = await this.store.findOperatorByUsername(siteId, spec.username);
    if (existing) {
      if (!resetPassword || (await verifyPassword(password, existing.passwordHash))) return 'kept';
      await this.store.setPasswordHash(existing.id, await hashPassword(password));
      return 'updated';
    }
    await this.store.insertOperator({
      id: randomUUID(),
      siteId,
      username: spec.username,
      displayName: spec.displayName,
      role: spec.role,
      permissions: ROLE_PERMISSIONS[spec.role],
      passwordHash: await hashPassword(password),
      failedLogins: 0,
      lockedAt: null,
      createdAt: this.clock(),
    });
    return 'created';
  }
}
