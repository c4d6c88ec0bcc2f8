/**
 * What the panel knows about the invitations of one conversation: each entry with its status
 * trail and the state of its answers. Pure state, no DOM and no timers: the component feeds it
 * views from the backend and renders what it holds.
 */
import type { CardBrand, HistoryEntry, InvitationState, InvitationView, LocalizedText, RecordPart } from '@secure-forms/shared';
import type { PanelErrorCode } from '../../internal/problems.js';

/** One status of an invitation, with the time the backend gave it. */
export interface TrailStep {
  state: InvitationState;
  opens: number;
  openLimit: number;
  at: string;
}

/** One decrypted answer the agent may reveal. */
export interface RevealableField {
  /** `scope:part:fieldId`, unique in the panel. */
  key: string;
  label: string;
  part: RecordPart;
  /** The decrypted answer, or `null` once dropped. Only ever rendered while revealed. */
  value: string | null;
  /** What is shown while hidden: `•••• 1111` for a card number, bullets for anything else. */
  masked: string;
  /** For a card number: its last four and brand, which the masked view shows and speaks. */
  card?: { lastFour: string; brand: CardBrand | undefined };
}

/** The opened answers of one submission. */
export interface Answered {
  status: 'ready';
  fields: RevealableField[];
  /** Epoch ms when off-the-record values are dropped; `null` when none are held. */
  offTheRecordExpiresAt: number | null;
  offTheRecordNote: 'expired' | 'handed-out' | 'deleted' | null;
  /** Answers were left out because the form does not put them in the part they came in. */
  leftOut: boolean;
}

/** Where the answers of one submission stand. */
export type Retrieval = { status: 'idle' } | { status: 'retrieving' } | { status: 'failed'; code: PanelErrorCode } | Answered;

/** One invitation listed in the panel. */
export interface InvitationEntry {
  id: string;
  /** `false`: sent by another agent, known from the transcript; shown with the backend's refusal only. */
  mine: boolean;
  formId: string;
  formVersion: number;
  formTitle: LocalizedText;
  state: InvitationState;
  opens: number;
  updatedAt: number;
  submissionId: string | null;
  trail: TrailStep[];
  retrieval: Retrieval;
}

/** States in which an invitation can still be cancelled. */
export const CANCELLABLE: ReadonlySet<InvitationState> = new Set(['sent', 'opened']);

/** Whether an invitation in `state` has ended: its key and retrieve OTK must go. */
export function hasEnded(state: InvitationState): boolean {
  return state === 'expired' || state === 'cancelled';
}

/** The invitations of one conversation, in the order the panel learnt of them. */
export class InvitationLedger {
  readonly #entries = new Map<string, InvitationEntry>();

  /** The entry of `id`, if listed. */
  get(id: string): InvitationEntry | undefined {
    return this.#entries.get(id);
  }

  /** Whether `id` is listed. */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Every entry, newest first (as the panel lists them). */
  newestFirst(): InvitationEntry[] {
    return [...this.#entries.values()].reverse();
  }

  /** Forget every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * Apply one view of an invitation and return the steps it added to the trail (the `sent` step
   * of a new entry only when `fromStream`). A view older than the entry is ignored (`null`). A view
   * of an entry another agent sent replaces it: the backend now shows it, so it is this operator's.
   */
  upsert(view: InvitationView, fromStream: boolean, transferred: boolean): TrailStep[] | null {
    const updatedAt = Date.parse(view.updatedAt);
    const step: TrailStep = { state: view.state, opens: view.opens, openLimit: view.openLimit, at: view.updatedAt };
    const entry = this.#entries.get(view.id);
    if (entry?.mine) {
      if (updatedAt < entry.updatedAt) return null; // an older view arriving late
      const moved = view.state !== entry.state || view.opens !== entry.opens;
      if (moved) entry.trail.push(step);
      entry.state = view.state;
      entry.opens = view.opens;
      entry.updatedAt = updatedAt;
      entry.submissionId = view.submissionId ?? entry.submissionId;
      return moved ? [step] : [];
    }
    const sent: TrailStep = { state: 'sent', opens: 0, openLimit: view.openLimit, at: view.sentAt };
    const trail = view.state === 'sent' ? [sent] : [sent, step];
    this.#entries.set(view.id, {
      id: view.id,
      mine: true,
      formId: view.formId,
      formVersion: view.formVersion,
      formTitle: view.formTitle,
      state: view.state,
      opens: view.opens,
      updatedAt,
      submissionId: view.submissionId,
      trail,
      retrieval: transferred ? { status: 'failed', code: 'TRANSFERRED' } : { status: 'idle' },
    });
    return fromStream ? [...trail] : trail.slice(1);
  }

  /** List an invitation another agent sent, known only from the transcript, with the backend's refusal. */
  addOthers(invitationId: string, formTitle: LocalizedText): void {
    this.#entries.set(invitationId, {
      id: invitationId,
      mine: false,
      formId: '',
      formVersion: 0,
      formTitle,
      state: 'sent',
      opens: 0,
      updatedAt: 0,
      submissionId: null,
      trail: [],
      retrieval: { status: 'failed', code: 'NOT_SENDER' },
    });
  }

  /** The conversation passed to another agent: every entry this panel sent says so. */
  markTransferred(): void {
    for (const entry of this.#entries.values()) {
      if (entry.mine) entry.retrieval = { status: 'failed', code: 'TRANSFERRED' };
    }
  }

  /** When the first off-the-record values still held are dropped (epoch ms), or `null`. */
  soonestOffTheRecord(): number | null {
    let soonest: number | null = null;
    for (const { retrieval: r } of this.#entries.values()) {
      if (r.status === 'ready' && r.offTheRecordExpiresAt !== null) soonest = Math.min(soonest ?? Infinity, r.offTheRecordExpiresAt);
    }
    return soonest;
  }

  /**
   * Drop the off-the-record values whose time is up at `now`, calling `onDrop` with each dropped
   * field's key. Returns whether a countdown is still running.
   */
  expireOffTheRecord(now: number, onDrop: (key: string) => void): boolean {
    let pending = false;
    for (const { retrieval: r } of this.#entries.values()) {
      if (r.status !== 'ready' || r.offTheRecordExpiresAt === null) continue;
      if (r.offTheRecordExpiresAt > now) {
        pending = true;
        continue;
      }
      for (const field of r.fields) {
        if (field.part !== 'off-the-record') continue;
        onDrop(field.key);
        field.value = null;
        field.masked = '';
      }
      r.offTheRecordExpiresAt = null;
      r.offTheRecordNote = 'deleted';
    }
    return pending;
  }
}

/** One past response in the manager's history mode, with the state of its one-off view. */
export interface HistoryItem {
  entry: HistoryEntry;
  view: Retrieval;
}
