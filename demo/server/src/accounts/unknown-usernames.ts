/**
 * Wrong sign-ins of usernames that no operator has are counted like an operator's, in the ephemeral
 * state, so every instance counts the same way. The attempt that reaches the lockout threshold is
 * refused as "now locked" and later ones as a locked account's. This way neither the lock message
 * nor when it comes tells anyone whether a username exists.
 *
 * The count is keyed by an HMAC of the typed string (it may be a mistyped password), under a key
 * every instance derives from the vault, so what was typed is never stored. Counts, and the
 * per-username rate limit, are the same on every instance.
 *
 * One difference from an operator's lock is left on purpose: the window runs `lockoutMinutes`
 * from the first failure, not from the lock, so counts cannot pile up without bound.
 */
import { createHmac } from 'node:crypto';
import type { Vault } from '../crypto/vault.js';
import type { WindowCounters } from '../ephemeral/types.js';
import type { SiteConfig } from '../sites/schema.js';
import { lockedByPassword, refused, type SignInRefused } from './refusals.js';

export class UnknownUsernames {
  constructor(
    private readonly windows: WindowCounters,
    private readonly vault: Vault,
  ) {}

  /** The counting key of a typed username on a site: the same in every instance, never the string. */
  key(siteId: string, username: string): string {
    return createHmac('sha256', this.vault.derivedKey('typed-username')).update(`${siteId}\n${username}`).digest('base64url');
  }

  /** Count one failed sign-in of `username` (no such operator); the refusal an operator would get at that count. */
  async refusal(site: SiteConfig, username: string, actor: string): Promise<SignInRefused> {
    const { count } = await this.windows.hit(this.key(site.id, username), site.lockoutMinutes * 60_000);
    if (count === site.lockoutThreshold) return lockedByPassword(actor, site.lockoutMinutes);
    return refused(actor, count > site.lockoutThreshold);
  }
}
