/**
 * API credentials of a brand's chat server: an admin creates one for their own site (shown once),
 * lists and revokes them. A site may hold several active credentials at once, so a server moves to
 * a new one before the old is revoked (rotation without downtime).
 *
 * Stored is the SHA-256 of the secret only. A plain (unkeyed) hash is enough here: the secret is
 * 256 random bits, so no dictionary or brute force over the hash can find it, unlike a password.
 */
import { timingSafeEqual } from 'node:crypto';
import { API_CREDENTIAL_PATTERN, type ApiCredential, type CreatedApiCredential } from '@secure-forms/shared';
import { RateLimiter } from '../accounts/rate-limit.js';
import { newToken, sha256 } from '../crypto/tokens.js';
import type { ApiCredentialRow } from '../storage/integration-types.js';
import type { OperatorRow } from '../storage/types.js';
import { Refusal } from './refusal.js';
import type { Runtime } from './runtime.js';
import { iso } from './views.js';

/** The most active (not revoked) credentials a site may hold: two for a rotation, and some room. */
export const MAX_ACTIVE_CREDENTIALS = 5;

const NOT_VALID = 'The API credential is not valid. Use a credential an administrator of this site created, and not revoked.';

export function apiCredentialView(row: ApiCredentialRow): ApiCredential {
  return {
    id: row.id,
    siteId: row.siteId,
    label: row.label,
    createdAt: iso(row.createdAt),
    revokedAt: row.revokedAt === null ? null : iso(row.revokedAt),
  };
}

export class ApiCredentials {
  private readonly limiter: RateLimiter;

  constructor(private readonly rt: Runtime) {
    this.limiter = new RateLimiter(rt.ephemeral.windows('api-credentials'), rt.clock);
  }

  private requireAdmin(operator: OperatorRow): void {
    if (operator.role !== 'admin') throw new Refusal('FORBIDDEN', 'Only an administrator of the site can manage API credentials.');
  }

  /** Create a credential for the admin's site: the row, and the credential itself (to show once). */
  async create(admin: OperatorRow, label: string): Promise<CreatedApiCredential> {
    this.requireAdmin(admin);
    const active = (await this.rt.store.listApiCredentials(admin.siteId)).filter((r) => r.revokedAt === null);
    if (active.length >= MAX_ACTIVE_CREDENTIALS) {
      throw new Refusal(
        'VALIDATION_FAILED',
        `This site already has ${MAX_ACTIVE_CREDENTIALS} active API credentials. Revoke one that is no longer used, then create the new one.`,
        [{ path: '', reason: 'too_many_credentials' }],
      );
    }
    const id = this.rt.random(12).toString('base64url');
    const secret = newToken(this.rt.random);
    const row: ApiCredentialRow = {
      id,
      siteId: admin.siteId,
      label,
      secretHash: sha256(secret),
      createdBy: admin.id,
      createdAt: this.rt.clock(),
      revokedAt: null,
    };
    await this.rt.store.insertApiCredential(row);
    return { ...apiCredentialView(row), credential: `sfk.${id}.${secret}` };
  }

  async list(admin: OperatorRow): Promise<ApiCredential[]> {
    this.requireAdmin(admin);
    return (await this.rt.store.listApiCredentials(admin.siteId)).map(apiCredentialView);
  }

  /** Revoke a credential of the admin's site: it stops working at once; the site's others go on. */
  async revoke(admin: OperatorRow, id: string): Promise<ApiCredential> {
    this.requireAdmin(admin);
    const row = await this.rt.store.revokeApiCredential(admin.siteId, id, this.rt.clock());
    if (!row) throw new Refusal('NOT_FOUND', 'This site has no such API credential.');
    return apiCredentialView(row);
  }

  /**
   * The credential a chat server presented, checked: well-formed, known, its secret's hash equal
   * (compared in constant time), not revoked, and its site configured. `found` hears the credential
   * named, when it exists, before the checks (for the audit line).
   */
  async authenticate(credential: string, found?: (row: ApiCredentialRow) => void): Promise<ApiCredentialRow> {
    const match = API_CREDENTIAL_PATTERN.exec(credential);
    if (!match) throw new Refusal('UNAUTHENTICATED', NOT_VALID);
    const [, id, secret] = match as unknown as [string, string, string];
    const row = await this.rt.store.findApiCredential(id);
    // The credential the request names, when it exists: its audit line names it refused or not
    // (a revoked one still in use, a wrong secret tried with a real id); the answer stays the same.
    if (row) found?.(row);
    const given = Buffer.from(sha256(secret), 'hex');
    const stored = Buffer.from(row?.secretHash ?? sha256(''), 'hex');
    if (!timingSafeEqual(given, stored) || !row || row.revokedAt !== null || !this.rt.sites.get(row.siteId)) {
      throw new Refusal('UNAUTHENTICATED', NOT_VALID);
    }
    return row;
  }

  /**
   * Count one request of an authenticated credential against its site's limit (RATE_LIMITED past
   * it). Counted only once the secret is right, so nobody can spend a server's allowance with the
   * credential's public id.
   */
  async limit(row: ApiCredentialRow): Promise<void> {
    const limit = this.rt.sites.get(row.siteId)?.serverApiRateLimit;
    if (!limit) return;
    const wait = await this.limiter.hit(row.id, limit.perCredential, limit.windowSeconds * 1000);
    if (wait > 0) throw new Refusal('RATE_LIMITED', 'Too many requests with this API credential. Wait, then try again.').retryAfter(wait);
  }
}
