/**
 * One-time keys: 256 random bits, base64url, stored only as SHA-256; each bound to one action,
 * site, resource (invitation or submission) and subject (conversation or operator). Redemption is
 * one atomic UPDATE ... RETURNING, so of many concurrent redemptions exactly one wins. A key is
 * spent by any redemption attempt that reaches the store, including one for the wrong action or
 * binding, or after its deadline.
 *
 * Each kind of key has one binding function here (view, submit, retrieve), and the keys that name
 * an invitation are checked through {@link OtkService.checkForInvitation}, which reads the key with
 * its invitation and checks the invitation against the key's site and subject.
 *
 * A submit key is spent in the same transaction that stores the submission ({@link OtkService.checkForInvitation}
 * then `Store.insertSubmission`): a crash between the two can neither spend the key without storing
 * the answers nor store them without spending the key, so a visitor whose request was cut can
 * send again with the same key. A view key is spent likewise with the submit key it is exchanged
 * for, a submit key traded for more time with the fresh one and the extension it uses, and a
 * retrieve key with the first retrieval's status line: one unit of work per request (committed
 * with its turn's batch, storage/commit-batches.ts).
 */
import type { OtkAction } from '@secure-forms/shared';
import { Refusal } from './refusal.js';
import { newToken, sha256, type RandomBytes } from '../crypto/tokens.js';
import type { ConversationRow, InvitationRow, OtkRow, OtkSpend, Store } from '../storage/types.js';

export interface OtkBinding {
  action: OtkAction;
  siteId: string;
  resourceId: string;
  subject: string;
}

export interface IssuedOtk {
  otk: string;
  expiresAt: number;
}

/** What a key's resource is bound to: the site it belongs to and the subject keys for it go to. */
export interface BoundResource {
  siteId: string;
  subject: string;
}

/** An invitation and its conversation, as the store reads them with a key that names the invitation. */
export type InvitationRead = { invitation: InvitationRow; conversation: ConversationRow };

type Expected = { action: OtkAction } & Partial<Omit<OtkBinding, 'action'>>;

/** A view key's binding: the invitation, on its site, for its conversation (the visitor). */
export function viewBinding(invitation: Pick<InvitationRow, 'id' | 'siteId' | 'conversationId'>): OtkBinding {
  return { action: 'view', siteId: invitation.siteId, resourceId: invitation.id, subject: invitation.conversationId };
}

/** A submit key's binding: the invitation, on its site, for its conversation (the visitor). */
export function submitBinding(invitation: Pick<InvitationRow, 'id' | 'siteId' | 'conversationId'>): OtkBinding {
  return { action: 'submit', siteId: invitation.siteId, resourceId: invitation.id, subject: invitation.conversationId };
}

/** A retrieve key's binding: the submission, on its site, for the agent who sent the form. */
export function retrieveBinding(invitation: Pick<InvitationRow, 'siteId' | 'agentId'>, submissionId: string): OtkBinding {
  return { action: 'retrieve', siteId: invitation.siteId, resourceId: submissionId, subject: invitation.agentId };
}

const WRONG_BINDING = 'The one-time key was issued for something else.';

export class OtkService {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly random: RandomBytes,
  ) {}

  async issue(binding: OtkBinding, ttlSeconds: number): Promise<IssuedOtk> {
    const { row, ...issued } = this.make(binding, ttlSeconds);
    await this.store.insertOtk(row);
    return issued;
  }

  /**
   * A new key and its row, not stored yet: for a store call that stores it in the same
   * transaction as the change it belongs to. The key is valid only once that commits.
   */
  make(binding: OtkBinding, ttlSeconds: number): IssuedOtk & { row: OtkRow } {
    const otk = newToken(this.random);
    const now = this.clock();
    const expiresAt = now + ttlSeconds * 1000;
    return { otk, expiresAt, row: { hash: sha256(otk), ...binding, createdAt: now, expiresAt, usedAt: null } };
  }

  /**
   * Spend the key and check it against what the request expects. `expected.resourceId` and
   * `expected.subject` are checked only when the request knows them.
   */
  async redeem(otk: string, expected: Expected): Promise<OtkRow> {
    const hash = sha256(otk);
    const now = this.clock();
    const row = await this.store.consumeOtk(hash, now);
    if (!row) {
      const existing = await this.store.findOtk(hash);
      if (!existing) throw new Refusal('OTK_INVALID', 'The one-time key is not valid.');
      throw usedRefusal();
    }
    refuseMismatch(row, expected, now);
    return row;
  }

  /** The hash a key is stored and read by. */
  hashOf(otk: string): string {
    return sha256(otk);
  }

  /**
   * Check a key the caller read (by its hash, {@link hashOf}; `row` undefined when no key has it,
   * usually read with what the key is for) as {@link redeem} does, without spending it when it
   * fits; a key that does not fit (expired, another action or binding) is spent and refused, as
   * with redeem. The caller spends a fitting key itself, atomically with what it does
   * (`Store.insertSubmission`), or with {@link spend} when it refuses the request after all.
   */
  async checkRead(hash: string, row: OtkRow | undefined, expected: Expected): Promise<OtkRow> {
    const now = this.clock();
    if (!row) throw new Refusal('OTK_INVALID', 'The one-time key is not valid.');
    if (row.usedAt !== null) throw usedRefusal();
    try {
      refuseMismatch(row, expected, now);
    } catch (error) {
      await this.store.consumeOtk(hash, now);
      throw error;
    }
    return row;
  }

  /**
   * Check a key that names an invitation ({@link checkRead}: a key that fits is not spent), read with
   * that invitation and its conversation by one statement; `found` turns the read into the
   * resource (refusing when there is none), and OTK_WRONG_BINDING unless that resource is on the
   * key's site and for its subject. A refusal here, or from `found`, spends the key. Every route
   * that takes a view or submit key goes through here; the caller spends a key that fits in the
   * transaction of what it does.
   */
  async checkForInvitation<R extends BoundResource>(
    otk: string,
    expected: Expected,
    found: (read: InvitationRead | undefined) => Promise<R>,
  ): Promise<{ key: OtkRow; resource: R }> {
    const hash = sha256(otk);
    const read = await this.store.findOtkWithInvitation(hash);
    const key = await this.checkRead(hash, read?.key, expected);
    return this.spendingOnRefusal(key.hash, async () => {
      const resource = await found(read?.invitation);
      refuseUnbound(key, resource);
      return { key, resource };
    });
  }

  /**
   * `work`, spending the key `hash` (one {@link checkRead} passed) when `work` refuses: a refused
   * redemption costs the key, as one spent first would have. A failure that is not a refusal (the
   * database busy, a crash) leaves it, so the same request can be sent again.
   */
  async spendingOnRefusal<T>(hash: string, work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Refusal) await this.spend(hash);
      throw error;
    }
  }

  /**
   * A new submit key for `invitation`, stored in one transaction with the submit window it opens
   * (and `historyKid`, the site history key the answers will be sealed to, when given). With
   * `spending`, the hash of a key {@link checkForInvitation} passed, that key is spent in the same
   * transaction: OTK_USED, and nothing stored, when another request spent it first.
   */
  async issueSubmitKey(invitation: InvitationRow, ttlSeconds: number, historyKid?: string, spending?: string): Promise<IssuedOtk> {
    const { row, ...issued } = this.make(submitBinding(invitation), ttlSeconds);
    const spend = spending === undefined ? undefined : { hash: spending, now: this.clock() };
    if (!(await this.store.insertInvitationOtk(row, invitation.id, historyKid, spend))) throw usedRefusal();
    return issued;
  }

  /**
   * A new submit key for `invitation` traded for the submit key `spending` (one
   * {@link checkForInvitation} passed), in one transaction that spends that key and uses one of
   * `max` extensions (`Store.extendInvitation`). OTK_USED, with nothing written, when another
   * request spent the key first; undefined, with only the key spent, when no extension is left.
   */
  async extendSubmitKey(invitation: InvitationRow, ttlSeconds: number, max: number, spending: string): Promise<IssuedOtk | undefined> {
    const { row, ...issued } = this.make(submitBinding(invitation), ttlSeconds);
    const now = this.clock();
    const extended = await this.store.extendInvitation(invitation.id, max, now, row, { hash: spending, now });
    if (extended === 'otk-used') throw usedRefusal();
    return extended === 'extended' ? issued : undefined;
  }

  /** The spend of the key `hash` (one {@link checkRead} passed) for a store call that spends it in its transaction. */
  spendOf(hash: string): OtkSpend {
    return { hash, now: this.clock() };
  }

  /** Spend a key {@link checkRead} passed; OTK_USED when another request spent it first. */
  async spendChecked(hash: string): Promise<void> {
    if (!(await this.store.consumeOtk(hash, this.clock()))) throw usedRefusal();
  }

  /** Whether a key was ever issued (spent or not): a lookup that spends nothing, for the OTK guard. */
  async isKnown(otk: string): Promise<boolean> {
    return (await this.store.findOtk(sha256(otk))) !== undefined;
  }

  /** Spend a key (by its hash) whatever its state; a no-op when it is already spent. */
  async spend(hash: string): Promise<void> {
    await this.store.consumeOtk(hash, this.clock());
  }
}

/** OTK_USED: the key was spent before (by this request's store call finding it spent, or another request). */
export function usedRefusal(): Refusal {
  return new Refusal('OTK_USED', 'The one-time key has already been used.');
}

/** OTK_EXPIRED: the key's deadline has passed. */
export function expiredRefusal(): Refusal {
  return new Refusal('OTK_EXPIRED', 'The one-time key has expired.');
}

function refuseMismatch(row: OtkRow, expected: Expected, now: number): void {
  if (row.expiresAt <= now) throw expiredRefusal();
  if (row.action !== expected.action) throw new Refusal('OTK_WRONG_ACTION', 'The one-time key is for another action.');
  if (
    (expected.siteId !== undefined && row.siteId !== expected.siteId) ||
    (expected.resourceId !== undefined && row.resourceId !== expected.resourceId) ||
    (expected.subject !== undefined && row.subject !== expected.subject)
  ) {
    throw new Refusal('OTK_WRONG_BINDING', WRONG_BINDING);
  }
}

/** The resource a key named must be on the key's site and for the key's subject. */
function refuseUnbound(key: OtkRow, resource: BoundResource): void {
  if (resource.siteId !== key.siteId || resource.subject !== key.subject) throw new Refusal('OTK_WRONG_BINDING', WRONG_BINDING);
}
