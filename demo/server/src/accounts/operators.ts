/**
 * The operators of a site as their administrators see them: the list with who is locked, the
 * agents a conversation can go to, re-enabling a locked operator (and the `unlock` command's break
 * glass), and creating operators from the site configuration (seeding). Signing in and sessions
 * are accounts.ts's.
 */
import { randomUUID } from 'node:crypto';
import type { Operator } from '@secure-forms/shared';
import { Refusal } from '../domain/refusal.js';
import { hashPassword, passwordPolicyProblem, verifyPassword } from '../crypto/passwords.js';
import type { Vault } from '../crypto/vault.js';
import { profilePermissions, type Sites, type SiteConfig } from '../sites/schema.js';
import type { OperatorRow, Role, Store } from '../storage/types.js';
import { RateLimiter } from './rate-limit.js';
import { newTotpSecret, totpUri } from './totp.js';

/** An operator as the API shows it. */
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

/** Whether an operator is locked now: a lock runs out after the site's `lockoutMinutes`. */
export function isLocked(row: OperatorRow, site: SiteConfig, now: number): boolean {
  return row.lockedAt !== null && now < row.lockedAt + site.lockoutMinutes * 60_000;
}

/** The row with its permissions taken from the site's current profile definition. */
export function withProfile(site: SiteConfig, row: OperatorRow): OperatorRow {
  return { ...row, permissions: profilePermissions(site, row.profile || row.role) };
}

export class OperatorDirectory {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    private readonly vault: Vault,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  private site(siteId: string): SiteConfig {
    const site = this.sites.get(siteId);
    if (!site) throw new Refusal('NOT_FOUND', 'There is no such site.');
    return site;
  }

  /**
   * An admin lists the operators of their own site (in the order they were created), with whether each is locked: the ids that
   * `enable` takes. At most 30 lists a minute per admin (a session cannot be used to hammer it).
   */
  async list(admin: OperatorRow): Promise<{ operators: { operator: Operator; locked: boolean }[] }> {
    if (admin.role !== 'admin') throw new Refusal('FORBIDDEN', 'Only an administrator can list operators.');
    const wait = this.limiter.hit(`operators:${admin.id}`, 30, 60_000);
    if (wait > 0) throw new Refusal('RATE_LIMITED', 'Too many requests. Wait a moment, then try again.').retryAfter(wait);
    const site = this.site(admin.siteId);
    const now = this.clock();
    const rows = await this.store.listOperators(admin.siteId);
    return { operators: rows.map((row) => ({ operator: publicOperator(withProfile(site, row)), locked: isLocked(row, site, now) })) };
  }

  /**
   * The agents of the operator's site a conversation can be transferred to: not locked, not the
   * operator. Names and ids only. At most 30 lists a minute per operator.
   */
  async agents(operator: OperatorRow): Promise<{ agents: { id: string; displayName: string }[] }> {
    const wait = this.limiter.hit(`agents:${operator.id}`, 30, 60_000);
    if (wait > 0) throw new Refusal('RATE_LIMITED', 'Too many requests. Wait a moment, then try again.').retryAfter(wait);
    const site = this.site(operator.siteId);
    const now = this.clock();
    const rows = await this.store.listOperators(operator.siteId);
    return {
      agents: rows
        .filter((row) => row.role === 'agent' && row.id !== operator.id && !isLocked(row, site, now))
        .map((row) => ({ id: row.id, displayName: row.displayName })),
    };
  }

  /** An admin re-enables a locked operator of their own site. */
  async enable(admin: OperatorRow, operatorId: string): Promise<{ operator: Operator; locked: boolean }> {
    if (admin.role !== 'admin') throw new Refusal('FORBIDDEN', 'Only an administrator can re-enable an operator.');
    const target = await this.store.findOperator(operatorId);
    if (!target || target.siteId !== admin.siteId) throw new Refusal('NOT_FOUND', 'There is no such operator.');
    const enabled = (await this.store.enableOperator(operatorId)) ?? target;
    return { operator: publicOperator(withProfile(this.site(admin.siteId), enabled)), locked: enabled.lockedAt !== null };
  }

  /**
   * Break glass: end an operator's lock from the operator command line (the only admin may be the
   * one locked). Returns the operator and whether it was locked, or undefined when there is none.
   */
  async unlock(siteId: string, username: string): Promise<{ operator: OperatorRow; wasLocked: boolean } | undefined> {
    const site = this.sites.get(siteId);
    const target = site && (await this.store.findOperatorByUsername(siteId, username));
    if (!site || !target) return undefined;
    const enabled = (await this.store.enableOperator(target.id)) ?? target;
    return { operator: enabled, wasLocked: isLocked(target, site, this.clock()) };
  }

  async findOperator(id: string): Promise<OperatorRow | undefined> {
    const row = await this.store.findOperator(id);
    const site = row && this.sites.get(row.siteId);
    return row && site ? withProfile(site, row) : undefined;
  }

  /**
   * Create an operator, or (when `resetPassword`) set its password; keep role and profile in step
   * with the site configuration. Refuses a password that breaks the site's policy. When the
   * operator needs a second factor and has none, a TOTP secret is made and its otpauth URI
   * returned (to be shown once).
   */
  async ensure(
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
      try {
        await this.store.insertOperator(row);
      } catch (error) {
        // Several instances starting together on one database: another one created this operator
        // first (a unique conflict, whatever the engine calls it). Its password and second factor
        // are the operator's; this instance leaves them as they are.
        if (await this.store.findOperatorByUsername(siteId, spec.username)) return { outcome: 'kept' };
        throw error;
      }
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
