/**
 * Rate limits on what anonymous visitors can create: conversations (each one lands in every
 * agent's queue) and visitor messages. Each is counted per client address and per site, in a
 * fixed window, with the limits from the site's configuration; over a limit the request is
 * refused with RATE_LIMITED and a Retry-After.
 *
 * rate-limiter-flexible's limiters, from the ephemeral state: its memory limiter counts in this
 * process, its Redis limiter across instances (the same `consume` call). They read the wall
 * clock, not the app's injectable clock: their windows are real seconds.
 */
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EphemeralState } from '../ephemeral/types.js';
import { Refusal } from './refusal.js';
import type { SiteConfig, Sites } from '../sites/schema.js';

/** What is limited, and the site setting that limits it. */
export type FloodKind = 'conversation' | 'message';

interface Limit {
  windowSeconds: number;
  perAddress: number;
  perSite: number;
}

const SETTING: Record<FloodKind, (site: SiteConfig) => Limit> = {
  conversation: (site) => site.conversationRateLimit,
  message: (site) => site.messageRateLimit,
};

const REFUSAL: Record<FloodKind, string> = {
  conversation: 'Too many chats were started. Wait a moment, then start the chat again.',
  message: 'Too many messages were sent. Wait a moment, then send the message again.',
};

/** The per-address and per-site limiters of each site and kind. */
export class FloodLimits {
  private readonly limiters = new Map<string, { address: RateLimiterAbstract; site: RateLimiterAbstract }>();

  constructor(
    private readonly sites: Sites,
    private readonly ephemeral: EphemeralState,
  ) {}

  /**
   * Count one `kind` for `address` on `siteId`; throws RATE_LIMITED (with Retry-After) when the
   * address or the site is over its limit. A refused address does not use up the site's budget.
   */
  async hit(kind: FloodKind, siteId: string, address: string): Promise<void> {
    const pair = this.limitersFor(kind, siteId);
    if (!pair) return;
    await consume(pair.address, address, kind);
    await consume(pair.site, siteId, kind);
  }

  private limitersFor(kind: FloodKind, siteId: string) {
    const key = `${kind}\u0000${siteId}`;
    let pair = this.limiters.get(key);
    if (!pair) {
      const site = this.sites.get(siteId);
      if (!site) return undefined;
      const limit = SETTING[kind](site);
      pair = {
        address: this.ephemeral.floodLimiter({
          keyPrefix: `${kind}:address:${siteId}`,
          points: limit.perAddress,
          duration: limit.windowSeconds,
        }),
        site: this.ephemeral.floodLimiter({ keyPrefix: `${kind}:site:${siteId}`, points: limit.perSite, duration: limit.windowSeconds }),
      };
      this.limiters.set(key, pair);
    }
    return pair;
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, kind: FloodKind): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    throw new Refusal('RATE_LIMITED', REFUSAL[kind]).retryAfter(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
  }
}
