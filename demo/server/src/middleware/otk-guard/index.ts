/**
 * Guessing one-time keys is slowed down, not locked out. A 256-bit key is never guessed; what the
 * guard protects is the service (and the audit log) from the guessing, without letting a guesser
 * stop anyone else: behind a proxy or a call centre's single egress address, many real visitors
 * and agents share one address with whoever is guessing.
 *
 * - The delay is for guesses, not for replays of a key that was issued. A refusal that could be
 *   probing (OTK_MISSING for a malformed key, OTK_INVALID for one never issued, OTK_WRONG_ACTION
 *   or OTK_WRONG_BINDING for a real key tried on another action or resource) is counted against
 *   its client address and, when the request names one, against the guessed resource (the
 *   submission of a retrieve, the invitation of a submit). Past `freeRefusals` in a window, such a
 *   refusal is answered only after a delay that doubles with each further one, up to `maxDelayMs`.
 * - OTK_USED and OTK_EXPIRED are answered at once and never counted against an address or a
 *   resource: they are said only of a key the store holds, which its sender already has, so they
 *   tell the client nothing it did not know. Counting them there would slow the honest visitors and
 *   agents behind the same address (a retry after a lost answer, a double click), and under a burst
 *   of replays of one key the fast OTK_USED answers filled the count, so the replays still holding
 *   slots waited up to 8 s each. A replay of a spent key is refused after reads only, with no write
 *   and no transaction (otk-replays.test.ts).
 * - A flood of replays of one key is bounded per key instead (replays.ts): once the key is known
 *   to be spent (used, or refused OTK_USED or OTK_EXPIRED), its presentations are counted
 *   atomically before the store is read, and past `replaysPerKey` in a window that key alone is
 *   refused with 429 RATE_LIMITED and Retry-After, before any read and before the slots below.
 *   Other keys and other visitors at the same address are not touched, and a key that works is
 *   never refused by it.
 * - A key that works is never delayed and never counted, whoever else guessed from its address.
 * - Requests with a key in progress (being answered or delayed) are bounded: at most
 *   `maxPendingPerAddress` per address and `maxPending` in all, so delays cannot pile up memory.
 *   Past either, a request's key is first looked up without spending it: a key that was issued
 *   (valid, or spent or expired: its holder deserves the exact answer) goes through as usual,
 *   without a slot and without a delay; a key that was never issued (a guess) or a malformed one
 *   is refused at once with 429 RATE_LIMITED and Retry-After. So a valid key presented while its
 *   address is limited is accepted, and nothing is spent by the refusal. The route reads the key
 *   again rather than trusting this lookup: under a burst of replays the fresh read sees the key
 *   spent and refuses at once, where a stale one sends each replay on to a write transaction that
 *   waits for the winner's row lock (200 replays on PostgreSQL: 1.5 s with the second read, 9 s
 *   without).
 *
 * The refusal and replay counts live in the ephemeral state (Redis when configured: counted across
 * instances). The in-progress slots stay per process on purpose: they bound this process's own
 * memory (the requests it holds open), which no other instance's count says anything about.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { clientAddress } from '../../http/client.js';
import type { AppEnv, AuditContext } from '../../http/context.js';
import { Refusal } from '../../domain/refusal.js';
import { isApiRefusal } from '../../http/errors.js';
import { otkFromHeader } from '../../http/auth.js';
import type { WindowCounters } from '../../ephemeral/types.js';
import { RefusalCounter } from './refusals.js';
import { ReplayBudget } from './replays.js';
import { API_PREFIX, type ErrorCode } from '@secure-forms/shared';
import { INTEGRATION_PREFIX } from '../../http/server-auth.js';

const INTEGRATION_PATH = `${API_PREFIX}${INTEGRATION_PREFIX}/`;

/** How refused one-time keys are slowed down. */
export interface OtkGuardPolicy {
  /** Refusals per address (and per guessed resource) in a window that are answered at once. */
  freeRefusals: number;
  windowSeconds: number;
  /** The delay of the first refusal past `freeRefusals`; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Requests with a key in progress (answered or delayed) at once for one address; past it, 429 unless the key was issued. */
  maxPendingPerAddress: number;
  /** The same in all addresses together (memory stays bounded under a distributed guess). */
  maxPending: number;
  /**
   * Presentations of a key known to be spent (used, or refused OTK_USED or OTK_EXPIRED) answered
   * from the store in a window; further ones are refused with 429 before the store is read.
   */
  replaysPerKey: number;
}

/**
 * About 30 refused keys a minute from one address at most, as the earlier hard limit allowed.
 * 30 replays of a spent key a minute: an honest client sends a spent key again once or twice (a
 * lost answer, a double click; then the frame and the panel ask for a new key), and the visitors
 * and agents behind one address never share a key. A flood of replays of one key costs at most
 * 30 look-ups of it a minute instead of one per request.
 */
export const DEFAULT_OTK_GUARD_POLICY: OtkGuardPolicy = {
  freeRefusals: 10,
  windowSeconds: 60,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxPendingPerAddress: 4,
  maxPending: 512,
  replaysPerKey: 30,
};

export interface OtkGuardDeps {
  clock: () => number;
  /** Where refusals are counted (the ephemeral state's counters). */
  windows: WindowCounters;
  /** Where the replays of each key are counted (counters of their own: a flood of them cannot push out the refusals'). */
  replays: WindowCounters;
  /** Whether a key was ever issued (any state): looked up without spending it. */
  known: (otk: string) => Promise<boolean>;
  /** Waits in real time (tests pass a short or instant one). */
  sleep?: (ms: number) => Promise<void>;
}

/** The delay of the `n`th refusal in a window under `policy`. */
export function refusalDelayMs(policy: OtkGuardPolicy, n: number): number {
  if (n <= policy.freeRefusals) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, n - policy.freeRefusals - 1));
}

/** The refusals that could be a guess or a probe, and so count (the header says why OTK_USED and OTK_EXPIRED do not). */
const PROBING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['OTK_MISSING', 'OTK_INVALID', 'OTK_WRONG_ACTION', 'OTK_WRONG_BINDING']);

const isProbingRefusal = (error: unknown): boolean => isApiRefusal(error) && PROBING.has(error.code);

export function otkGuard(policy: OtkGuardPolicy, deps: OtkGuardDeps): MiddlewareHandler<AppEnv> {
  const refusals = new RefusalCounter(deps.windows, policy.windowSeconds * 1000);
  const replays = new ReplayBudget(deps.replays, policy.windowSeconds * 1000, policy.replaysPerKey, deps.clock);
  const sleep = deps.sleep ?? ((ms: number) => sleepMs(ms));
  // Requests with a key in progress (the route, then any delay), per address and in all.
  const slots = new Map<string, number>();
  let taken = 0;

  /** Count a refusal against the address and the guessed resource; the delay it earns. */
  const refused = async (c: Context<AppEnv>, address: string): Promise<number> => {
    const audit = c.get('audit') as AuditContext | undefined;
    const resource = audit?.submissionId
      ? `submission:${audit.submissionId}`
      : audit?.invitationId
        ? `invitation:${audit.invitationId}`
        : undefined;
    const [byAddress, byResource] = await Promise.all([refusals.hit(address), resource ? refusals.hit(resource) : 0]);
    return refusalDelayMs(policy, Math.max(byAddress, byResource));
  };

  /** The slots, delays and the lookup past the slots, for a request with a key (`otk` undefined when malformed). */
  const guarded = async (c: Context<AppEnv>, next: () => Promise<void>, otk: string | undefined): Promise<void> => {
    const address = `address:${clientAddress(c)}`;

    if ((slots.get(address) ?? 0) >= policy.maxPendingPerAddress || taken >= policy.maxPending) {
      if (otk === undefined || !(await deps.known(otk))) {
        const wait = refusalDelayMs(policy, (await refusals.count(address)) + 1);
        throw new Refusal(
          'RATE_LIMITED',
          'Too many one-time keys were refused from this address. Wait a moment, then try again with the key you were given.',
        ).retryAfter(Math.max(1, Math.ceil(wait / 1000)));
      }
      // An issued key goes through without a slot, and is never delayed.
      await next();
      if (isProbingRefusal(c.error)) await refused(c, address);
      return;
    }

    taken++;
    slots.set(address, (slots.get(address) ?? 0) + 1);
    try {
      await next();
      if (!isProbingRefusal(c.error)) return;
      const delay = await refused(c, address);
      if (delay > 0) await sleep(delay);
    } finally {
      taken--;
      const left = (slots.get(address) ?? 1) - 1;
      if (left > 0) slots.set(address, left);
      else slots.delete(address);
    }
  };

  return async (c, next) => {
    const header = c.req.header('Authorization');
    // The brand chat server's routes take an API credential in this header, never a one-time key:
    // they have their own limit per credential (http/server-auth.ts).
    if (header === undefined || c.req.path.startsWith(INTEGRATION_PATH)) return next();
    let otk: string | undefined;
    try {
      otk = otkFromHeader(header);
    } catch {
      // Malformed: the route refuses it (OTK_MISSING), counted as a guess.
      return guarded(c, next, undefined);
    }
    // Past its budget, a replayed key is refused here, before any read or slot.
    const presentation = await replays.admit(otk);
    let ok = false;
    let error: unknown;
    try {
      await guarded(
        c,
        async () => {
          await next();
          error = c.error;
          ok = error === undefined && c.res.status < 400;
        },
        otk,
      );
    } finally {
      await replays.settle(presentation, ok, error);
    }
  };
}
