/**
 * Signing in and sessions (the operators themselves, as administrators see them: operators.ts).
 * Passwords: scrypt, checked through a global hashing gate. Every
 * sign-in attempt is counted in the database before its password or code is checked (one atomic
 * UPDATE), so however many arrive at once, at most `lockoutThreshold` are checked per lock cycle;
 * when that many have failed the operator is locked for the site's `lockoutMinutes` (PCI DSS 8.3.4:
 * at least 30), every session of it is revoked and its event streams are ended. An admin (or the
 * `unlock` operator command) ends a lock sooner. A session is only inserted in the same
 * transaction that finds the operator unlocked. A locked account answers a sign-in exactly as an
 * unknown username does (same code, message and hashing cost), so a lock does not tell who exists.
 *
 * Sessions: 256-bit random tokens stored as SHA-256, idle timeout and absolute lifetime from the
 * site's settings, revoked at logout. TOTP second factor (PCI DSS 8.4.2) for managers and admins,
 * and for agents where the site says so; a replayed code is refused but not counted as a failure.
 * Sign-ins are rate-limited per operator found (per typed username when there is none) and per
 * client address.
 *
 * The rate limits, the hashing gate and a counted failure: attempts.ts (a password change goes
 * through them too: password-change.ts).
 */
import { createHmac } from 'node:crypto';
import type { LoginResponse, SecondFactorChallenge, SecondFactorMethod } from '@secure-forms/shared';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Refusal } from '../domain/refusal.js';
import type { HashingGate } from '../crypto/hashing-gate.js';
import { dummyPasswordHash, verifyPassword } from '../crypto/passwords.js';
import { newToken, sha256, type RandomBytes } from '../crypto/tokens.js';
import type { Vault } from '../crypto/vault.js';
import type { Sites, SiteConfig } from '../sites/schema.js';
import type { OperatorRow, SessionRow, Store } from '../storage/types.js';
import { MemoryEphemeral } from '../ephemeral/memory.js';
import type { EphemeralState, OnceStore } from '../ephemeral/types.js';
import { operatorActor } from '../audit/actors.js';
import { Attempts } from './attempts.js';
import { RateLimiter } from './rate-limit.js';
import { INVALID_MESSAGE, lockedAfterPassword, refused, reusedCode, SignInRefused } from './refusals.js';
import { isLocked, OperatorDirectory, publicOperator, secondFactorRequired, withProfile } from './operators.js';
import { PasskeyCeremonies, PasskeyRefusal } from './passkeys.js';
import { PasswordChange } from './password-change.js';
import { SessionsEndedListeners, type SessionsEnded } from './sessions-ended.js';
import { TokenExchange } from './token-exchange.js';
import { totpStep } from './totp.js';
import { UnknownUsernames } from './unknown-usernames.js';

export { SignInRefused } from './refusals.js';

/** An operator the site asks for a second factor, with none of the site's methods set up. */
function noSecondFactor(operatorId: string): Refusal {
  return new Refusal('FORBIDDEN', 'This account has no second factor set up that this site accepts. Ask an administrator.').withActor(
    operatorId,
  );
}

function timedOut(): Refusal {
  return new Refusal('UNAUTHENTICATED', 'The sign-in has timed out. Enter your username and password again.');
}
export type { SessionsEnded } from './sessions-ended.js';

export interface Authenticated {
  operator: OperatorRow;
  session: SessionRow;
  site: SiteConfig;
}

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** The longest a session's "last seen" may lag behind its latest request. */
const SESSION_TOUCH_MAX_MS = 30_000;

export type LoginOutcome =
  | { kind: 'session'; response: LoginResponse; operator: OperatorRow }
  | { kind: 'second-factor'; response: SecondFactorChallenge; operator: OperatorRow };

export class AccountService {
  /** Second-factor challenges by hash: `{ operatorId, siteId }` as JSON, held until their deadline (shared by every instance on Redis). */
  private readonly challenges: OnceStore;
  private readonly endedListeners = new SessionsEndedListeners();
  /** Rate limits, the hashing gate and counted failures, for sign-ins and password changes alike. */
  private readonly attempts: Attempts;
  private readonly passwordChange: PasswordChange;
  /** Keys the hash of a typed username in audit lines (it may be a mistyped password): a per-process key, never stored. */
  private readonly auditKey: Buffer;
  /** The global cap on password hashing (one per process). */
  readonly hashing: HashingGate;
  /** The site's operators as administrators see them, and seeding. */
  readonly operators: OperatorDirectory;
  /** Failed sign-ins of usernames no operator has, counted like an operator's. */
  private readonly unknownUsernames: UnknownUsernames;
  /** Signing in with a workspace token the brand's workspace backend signed (token-exchange.ts). */
  readonly tokenExchange: TokenExchange;
  /** Passkey ceremonies: their options and the verification of their answers (passkeys.ts). */
  readonly passkeys: PasskeyCeremonies;

  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly clock: () => number,
    private readonly random: RandomBytes,
    private readonly vault: Vault,
    /** Where challenges and rate-limit windows live; this process's memory unless given. */
    ephemeral: EphemeralState = new MemoryEphemeral(clock),
  ) {
    const ended = (e: SessionsEnded) => this.endedListeners.tell(e);
    this.attempts = new Attempts(store, new RateLimiter(ephemeral.windows('sign-in'), clock), clock, ended);
    this.hashing = this.attempts.hashing;
    this.passwordChange = new PasswordChange(store, this.attempts, clock, ended);
    // Bounded in memory like the off-the-record values; a challenge is a few dozen bytes.
    this.challenges = ephemeral.once('second-factor', 10_000);
    this.auditKey = random(32);
    this.operators = new OperatorDirectory(store, sites, clock, vault, ephemeral.windows('operators'));
    this.unknownUsernames = new UnknownUsernames(ephemeral.windows('unknown-usernames'), vault);
    this.tokenExchange = new TokenExchange(this, store, sites, clock, ephemeral);
    this.passkeys = new PasskeyCeremonies(store, clock, ephemeral.once('passkey', 10_000));
  }

  /** Be told when sessions end (sign-out, a lock), e.g. to close their event streams at once. */
  onSessionsEnded(listener: (ended: SessionsEnded) => void | Promise<void>): () => void {
    return this.endedListeners.add(listener);
  }

  private site(siteId: string): SiteConfig {
    const site = this.sites.get(siteId);
    if (!site) throw new Refusal('INVALID_CREDENTIALS', INVALID_MESSAGE);
    return site;
  }

  /** The audit actor of a sign-in whose username matches no operator: the typed string, keyed-hashed. */
  private typedActor(siteId: string, username: string): string {
    return `typed-username:${createHmac('sha256', this.auditKey).update(`${siteId}\n${username}`).digest('hex').slice(0, 16)}`;
  }

  /** The second-factor methods `operator` can answer with on `site`: allowed there and set up, a passkey first. */
  async methodsOf(site: SiteConfig, operator: OperatorRow): Promise<SecondFactorMethod[]> {
    const allowed = site.secondFactor.methods;
    const methods: SecondFactorMethod[] = [];
    if (allowed.includes('passkey') && (await this.store.listPasskeys(operator.id)).length > 0) methods.push('passkey');
    if (allowed.includes('totp') && operator.totpSecret) methods.push('totp');
    return methods;
  }

  /** Check a TOTP code: valid now and later than the last accepted one ('right'), valid but already used ('replay'), or 'wrong'. */
  private async checkTotp(operator: OperatorRow, code: string): Promise<'right' | 'replay' | 'wrong'> {
    if (!operator.totpSecret || !this.sites.get(operator.siteId)?.secondFactor.methods.includes('totp')) return 'wrong';
    const secret = await this.vault.openSecret(operator.totpSecret, operator.id);
    const step = totpStep(secret, code, this.clock());
    if (step === null) return 'wrong';
    return (await this.store.acceptTotpStep(operator.id, step)) ? 'right' : 'replay';
  }

  /** The outcome of a counted code check: a session, or a refusal (a replay is taken off the count). */
  private async afterTotp(site: SiteConfig, operator: OperatorRow, verdict: 'right' | 'replay' | 'wrong', locked: (a: string) => Error) {
    if (verdict === 'wrong') return this.attempts.fail(operator, site, 'code');
    if (verdict === 'replay') {
      await this.store.uncountSignInAttempt(operator.id);
      throw reusedCode(operatorActor(operator.id));
    }
    return this.startSession(site, operator, locked);
  }

  /** Log in: password, then the second factor if the operator needs one (in the body, or via a challenge). */
  async login(siteId: string, username: string, password: string, totp: string | undefined, address: string): Promise<LoginOutcome> {
    const known = this.sites.get(siteId);
    const found = known && (await this.store.findOperatorByUsername(siteId, username));
    const actor = found ? operatorActor(found.id) : this.typedActor(siteId, username);
    await this.attempts.rateLimit(known, found ? found.id : this.unknownUsernames.key(siteId, username), address, actor);
    const site = this.site(siteId);
    if (!found) {
      // The same cost as a real check, through the same gate, and the same count: an unknown username looks like a wrong password.
      await this.attempts.gated(async () => verifyPassword(password, await dummyPasswordHash()), actor);
      throw await this.unknownUsernames.refusal(site, username, actor);
    }
    const lockMs = site.lockoutMinutes * 60_000;
    const verdict = await this.attempts.gated(async () => {
      // Counted before the check, atomically: a burst cannot have more checks than the threshold.
      const counted = await this.store.countSignInAttempt(found.id, site.lockoutThreshold, lockMs, this.clock());
      if (!counted) {
        await verifyPassword(password, await dummyPasswordHash());
        return 'locked' as const;
      }
      return (await verifyPassword(password, counted.passwordHash)) ? ('right' as const) : ('wrong' as const);
    }, actor);
    if (verdict === 'locked') throw refused(actor, true);
    if (verdict === 'wrong') return this.attempts.fail(found, site);
    const operator = found;
    if (secondFactorRequired(site, operator.role)) {
      const methods = await this.methodsOf(site, operator);
      if (methods.length === 0) {
        await this.store.uncountSignInAttempt(operator.id);
        throw noSecondFactor(operator.id);
      }
      if (totp === undefined) {
        // The password was right: not a failure, and the code is counted when it comes.
        await this.store.uncountSignInAttempt(operator.id);
        return this.challenge(site, operator, methods);
      }
      const outcome = await this.afterTotp(site, operator, await this.checkTotp(operator, totp), (a) => refused(a, true));
      return { kind: 'session', ...outcome };
    }
    return { kind: 'session', ...(await this.startSession(site, operator, (a) => refused(a, true))) };
  }

  /**
   * A second-factor challenge for an operator who proved the first factor: single use,
   * short-lived; with the options of a passkey assertion bound to it when a passkey can answer.
   */
  private async challenge(site: SiteConfig, operator: OperatorRow, methods: SecondFactorMethod[]): Promise<LoginOutcome> {
    const challenge = newToken(this.random);
    const expiresAt = this.clock() + CHALLENGE_TTL_MS;
    await this.challenges.put(sha256(challenge), JSON.stringify({ operatorId: operator.id, siteId: site.id }), expiresAt);
    const passkey = methods.includes('passkey')
      ? await this.passkeys.assertionOptions(site, operator, 'second-factor', sha256(challenge), expiresAt)
      : null;
    return {
      kind: 'second-factor',
      operator,
      response: {
        secondFactorRequired: true,
        challenge,
        expiresAt: new Date(expiresAt).toISOString(),
        methods,
        // WebAuthn's options as they are (shared checks only their challenge).
        ...(passkey ? { passkey: passkey as unknown as { challenge: string } } : {}),
      },
    };
  }

  /** Fresh passkey options for a sign-in's second-factor challenge (the earlier ones were answered wrongly or abandoned). */
  async secondFactorPasskeyOptions(challenge: string) {
    const hash = sha256(challenge);
    const held = await this.challenges.peek(hash);
    const pending = held && (JSON.parse(held.value) as { operatorId: string; siteId: string });
    const site = pending && this.sites.get(pending.siteId);
    const operator = pending && (await this.store.findOperator(pending.operatorId));
    if (!held || !site || !operator) throw timedOut();
    const options = site.secondFactor.methods.includes('passkey')
      ? await this.passkeys.assertionOptions(site, operator, 'second-factor', hash, held.expiresAt)
      : null;
    if (!options) throw noSecondFactor(operator.id);
    return options;
  }

  /**
   * Sign in an operator whom a verified workspace token names (token-exchange.ts): no password to
   * check, but the same lock, second factor and session as a password sign-in. When the site asks
   * this operator for a second factor and `secondFactorDone` is false, the answer is the challenge a
   * password sign-in gives. `locked` is the refusal of a locked operator.
   */
  async signInAsserted(site: SiteConfig, operator: OperatorRow, secondFactorDone: boolean, locked: () => Error): Promise<LoginOutcome> {
    if (isLocked(operator, site, this.clock())) throw locked();
    if (secondFactorRequired(site, operator.role) && !secondFactorDone) {
      const methods = await this.methodsOf(site, operator);
      if (methods.length === 0) throw noSecondFactor(operator.id);
      return this.challenge(site, operator, methods);
    }
    return { kind: 'session', ...(await this.startSession(site, operator, locked)) };
  }

  /** The second step: a challenge from `login` and the TOTP code, counted like a password. */
  async secondFactor(challenge: string, totp: string, address: string): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const hash = sha256(challenge);
    const held = await this.challenges.peek(hash);
    if (!held) {
      throw new Refusal('UNAUTHENTICATED', 'The sign-in has timed out. Enter your username and password again.');
    }
    const pending = JSON.parse(held.value) as { operatorId: string; siteId: string };
    const site = this.site(pending.siteId);
    const operator = await this.store.findOperator(pending.operatorId);
    if (!operator) throw new Refusal('UNAUTHENTICATED', 'The sign-in has timed out. Enter your username and password again.');
    const actor = operatorActor(operator.id);
    await this.attempts.rateLimit(site, operator.id, address, actor);
    const counted = await this.store.countSignInAttempt(operator.id, site.lockoutThreshold, site.lockoutMinutes * 60_000, this.clock());
    if (!counted) {
      await this.challenges.delete(hash);
      throw lockedAfterPassword(actor);
    }
    let lockedOut = false;
    const outcome = await this.afterTotp(site, counted, await this.checkTotp(counted, totp), (a) => {
      lockedOut = true;
      return lockedAfterPassword(a);
    }).catch(async (error: unknown) => {
      if (lockedOut) await this.challenges.delete(hash);
      throw error;
    });
    await this.challenges.delete(hash);
    return outcome;
  }

  /**
   * The second step with a passkey: its assertion answers the options the challenge carried. The
   * passkey's own challenge is taken first (once, atomically), so a replayed or concurrent answer
   * is refused before anything is counted; the check itself is counted like a code.
   */
  async secondFactorPasskey(
    challenge: string,
    response: AuthenticationResponseJSON,
    address: string,
  ): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const hash = sha256(challenge);
    const held = await this.challenges.peek(hash);
    if (!held) throw timedOut();
    const pending = JSON.parse(held.value) as { operatorId: string; siteId: string };
    const site = this.site(pending.siteId);
    const operator = await this.store.findOperator(pending.operatorId);
    if (!operator) throw timedOut();
    const actor = operatorActor(operator.id);
    await this.attempts.rateLimit(site, operator.id, address, actor);
    const counted = await this.store.countSignInAttempt(operator.id, site.lockoutThreshold, site.lockoutMinutes * 60_000, this.clock());
    if (!counted) throw lockedAfterPassword(actor);
    try {
      if (!site.secondFactor.methods.includes('passkey')) throw new PasskeyRefusal('FORBIDDEN', 'This site does not accept passkeys.');
      await this.passkeys.verifyAssertion(site, counted, 'second-factor', hash, response);
    } catch (error) {
      if (error instanceof PasskeyRefusal && error.counted) {
        await this.attempts.fail(counted, site, 'code').catch((failure: unknown) => {
          // A lock says so; otherwise the passkey's own refusal tells what was wrong.
          if (failure instanceof SignInRefused && failure.code === 'ACCOUNT_LOCKED') throw failure;
        });
      } else {
        await this.store.uncountSignInAttempt(operator.id);
      }
      throw error instanceof Refusal ? error.withActor(operator.id) : error;
    }
    const outcome = await this.startSession(site, counted, (a) => lockedAfterPassword(a));
    await this.challenges.delete(hash);
    return outcome;
  }

  /** Insert a session, in the transaction that finds the operator unlocked (else `locked`'s refusal). */
  private async startSession(
    site: SiteConfig,
    row: OperatorRow,
    locked: (actor: string) => Error,
  ): Promise<{ response: LoginResponse; operator: OperatorRow }> {
    const operator = withProfile(site, row);
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
    if (!(await this.store.insertSessionUnlessLocked(session))) throw locked(operatorActor(operator.id));
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
    if (!token) throw new Refusal('UNAUTHENTICATED', 'Sign in first.');
    const session = await this.store.findSession(sha256(token));
    if (!session) throw new Refusal('UNAUTHENTICATED', 'Sign in first.');
    const site = this.sites.get(session.siteId);
    const row = await this.store.findOperator(session.operatorId);
    if (!site || !row) throw new Refusal('UNAUTHENTICATED', 'Sign in first.');
    const now = this.clock();
    // The holder of a session already knows the account exists: tell them why it ended.
    const locked = () => new Refusal('ACCOUNT_LOCKED', 'This account is locked for a while after too many failed sign-ins.');
    if (session.revokedAt !== null) throw isLocked(row, site, now) ? locked() : new Refusal('UNAUTHENTICATED', 'Sign in first.');
    if (now >= session.expiresAt || now - session.lastSeenAt >= site.session.idleTimeoutSeconds * 1000) {
      await this.store.revokeSession(session.tokenHash, now);
      throw new Refusal('SESSION_EXPIRED', 'The session has ended. Sign in again.');
    }
    if (isLocked(row, site, now)) {
      await this.store.revokeSession(session.tokenHash, now);
      throw locked();
    }
    // "Last seen" is written at most every tenth of the idle timeout (30 s at most), not on every
    // request (a write transaction each): the idle timeout then ends a session up to that much
    // early, never late.
    const touchEveryMs = Math.min(SESSION_TOUCH_MAX_MS, site.session.idleTimeoutSeconds * 100);
    if (touch && now - session.lastSeenAt >= touchEveryMs) await this.store.touchSession(session.tokenHash, now);
    return { operator: withProfile(site, row), session, site };
  }

  /** The signed-in operator changes its own password (password-change.ts). */
  async changePassword(auth: Authenticated, currentPassword: string, newPassword: string, address: string): Promise<void> {
    return this.passwordChange.change(auth, currentPassword, newPassword, address);
  }

  /** Revoke the session and end its event streams at once. */
  async logout(token: string): Promise<void> {
    const tokenHash = sha256(token);
    await this.store.revokeSession(tokenHash, this.clock());
    await this.endedListeners.tell({ kind: 'logout', tokenHash });
  }
}
