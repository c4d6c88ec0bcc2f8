/**
 * Signing in with a passkey alone, where the site allows it (`secondFactor.passwordless`): the
 * browser offers the site's discoverable passkeys, and a user-verified assertion (the
 * authenticator's PIN or biometric beside the device: two factors) starts a session as a password
 * and second factor would, through the same lock check. Refusals are rate-limited per client
 * address and per credential, and not counted towards the operator's lock: whoever merely knows a
 * credential id could otherwise lock its operator out, and no guess of the private key can win.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Refusal } from '../domain/refusal.js';
import type { WindowCounters } from '../ephemeral/types.js';
import type { Sites, SiteConfig } from '../sites/schema.js';
import type { Store } from '../storage/types.js';
import type { AccountService, LoginOutcome } from './accounts.js';
import type { PasskeyCeremonies } from './passkeys.js';
import { RateLimiter } from './rate-limit.js';
import { lockedAfterPassword } from './refusals.js';
import { operatorActor } from '../audit/actors.js';

export class PasswordlessSignIn {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly accounts: AccountService,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly store: Store,
    private readonly sites: Sites,
    windows: WindowCounters,
    clock: () => number,
  ) {
    this.limiter = new RateLimiter(windows, clock);
  }

  private site(siteId: string): SiteConfig {
    const site = this.sites.get(siteId);
    if (!site?.secondFactor.passwordless || !site.secondFactor.methods.includes('passkey')) {
      throw new Refusal('FORBIDDEN', 'This site does not offer signing in with a passkey alone. Enter your username and password.');
    }
    return site;
  }

  /** Options for the browser: any passkey of the site, user verification required. */
  async options(siteId: string) {
    return this.ceremonies.discoverableOptions(this.site(siteId));
  }

  /** The assertion: a session for its passkey's operator (or the challenge refused, the lock's answer). */
  async signIn(siteId: string, response: AuthenticationResponseJSON, address: string): Promise<LoginOutcome & { kind: 'session' }> {
    const site = this.site(siteId);
    const { windowSeconds, perAddress, perOperator } = site.loginRateLimit;
    const waits = await Promise.all([
      this.limiter.hit(`ip:${address}`, perAddress, windowSeconds * 1000),
      this.limiter.hit(`credential:${response.id}`, perOperator, windowSeconds * 1000),
    ]);
    const wait = Math.max(...waits);
    if (wait > 0) throw new Refusal('RATE_LIMITED', 'Too many sign-in attempts. Wait a moment, then try again.').retryAfter(wait);
    const operatorId = await this.ceremonies.verifyDiscoverable(site, response);
    const operator = await this.store.findOperator(operatorId);
    if (!operator) throw new Refusal('PASSKEY_REFUSED', 'That passkey is not registered here.');
    const outcome = await this.accounts.signInAsserted(site, operator, true, () => lockedAfterPassword(operatorActor(operator.id)));
    if (outcome.kind !== 'session') throw lockedAfterPassword(operatorActor(operator.id));
    return outcome;
  }
}
