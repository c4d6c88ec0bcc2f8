import { describe, expect, it } from 'vitest';
import { CID, INV, OTHER_INV, invitation } from './panel-test-support.js';
import { InvitationLedger, hasEnded, type Answered } from './invitation-ledger.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();

function answered(expiresAt: number | null): Answered {
  return {
    status: 'ready',
    fields: [
      { key: `${INV}:on-the-record:cardNumber`, label: 'Card number', part: 'on-the-record', value: '4111', masked: '••' },
      { key: `${INV}:off-the-record:cvv`, label: 'Security code', part: 'off-the-record', value: '737', masked: '••' },
    ],
    offTheRecordExpiresAt: expiresAt,
    offTheRecordNote: null,
    leftOut: false,
  };
}

describe('InvitationLedger', () => {
  it('lists a new invitation with its sent step, and reports the sent step only when it came from the stream', () => {
    const fromApi = new InvitationLedger();
    expect(fromApi.upsert(invitation({ sentAt: at(0), updatedAt: at(0) }), false, false)).toEqual([]);
    expect(fromApi.get(INV)).toMatchObject({ mine: true, state: 'sent', retrieval: { status: 'idle' } });
    expect(fromApi.get(INV)!.trail.map((s) => s.state)).toEqual(['sent']);

    const fromStream = new InvitationLedger();
    const steps = fromStream.upsert(invitation({ state: 'opened', opens: 1, sentAt: at(0), updatedAt: at(5) }), true, false);
    expect(steps!.map((s) => [s.state, s.at])).toEqual([
      ['sent', at(0)],
      ['opened', at(5)],
    ]);
  });

  it('adds a trail step when the state or the number of opens changes, not for the same view again', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ sentAt: at(0), updatedAt: at(0) }), false, false);
    expect(ledger.upsert(invitation({ state: 'opened', opens: 1, updatedAt: at(1) }), true, false)).toHaveLength(1);
    expect(ledger.upsert(invitation({ state: 'opened', opens: 1, updatedAt: at(2) }), true, false)).toEqual([]);
    expect(ledger.upsert(invitation({ state: 'opened', opens: 2, updatedAt: at(3) }), true, false)).toHaveLength(1);
    expect(ledger.get(INV)!.trail.map((s) => `${s.state}:${s.opens}`)).toEqual(['sent:0', 'opened:1', 'opened:2']);
  });

  it('ignores a view older than the one it holds', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ state: 'submitted', submissionId: 'sid', updatedAt: at(9) }), false, false);
    expect(ledger.upsert(invitation({ state: 'opened', opens: 1, updatedAt: at(3) }), true, false)).toBeNull();
    expect(ledger.get(INV)).toMatchObject({ state: 'submitted', submissionId: 'sid' });
  });

  it('keeps a known submission id when a later view has none', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ state: 'submitted', submissionId: 'sid', updatedAt: at(1) }), false, false);
    ledger.upsert(invitation({ state: 'viewed', submissionId: null, updatedAt: at(2) }), false, false);
    expect(ledger.get(INV)!.submissionId).toBe('sid');
  });

  it("lists another agent's invitation with NOT_SENDER, and replaces it when the backend shows it", () => {
    const ledger = new InvitationLedger();
    ledger.addOthers(OTHER_INV, 'Identity check');
    expect(ledger.get(OTHER_INV)).toMatchObject({ mine: false, trail: [], retrieval: { status: 'failed', code: 'NOT_SENDER' } });
    ledger.upsert(invitation({ id: OTHER_INV, updatedAt: at(0) }), false, false);
    expect(ledger.get(OTHER_INV)).toMatchObject({ mine: true, retrieval: { status: 'idle' } });
  });

  it('marks what this panel sent as transferred, and a new entry too once transferred', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ updatedAt: at(0) }), false, false);
    ledger.addOthers(OTHER_INV, 'Identity check');
    ledger.markTransferred();
    expect(ledger.get(INV)!.retrieval).toEqual({ status: 'failed', code: 'TRANSFERRED' });
    expect(ledger.get(OTHER_INV)!.retrieval).toEqual({ status: 'failed', code: 'NOT_SENDER' });
    const later = new InvitationLedger();
    later.upsert(invitation({ updatedAt: at(0) }), false, true);
    expect(later.get(INV)!.retrieval).toEqual({ status: 'failed', code: 'TRANSFERRED' });
  });

  it('lists the newest first, and forgets everything on clear', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ updatedAt: at(0) }), false, false);
    ledger.upsert(invitation({ id: OTHER_INV, conversationId: CID, updatedAt: at(1) }), false, false);
    expect(ledger.newestFirst().map((e) => e.id)).toEqual([OTHER_INV, INV]);
    ledger.clear();
    expect(ledger.newestFirst()).toEqual([]);
  });

  it('drops off-the-record values once their time is up, and says whether a countdown still runs', () => {
    const ledger = new InvitationLedger();
    ledger.upsert(invitation({ state: 'submitted', submissionId: 'sid', updatedAt: at(0) }), false, false);
    const entry = ledger.get(INV)!;
    entry.retrieval = answered(1_000);
    const dropped: string[] = [];
    expect(ledger.expireOffTheRecord(999, (key) => dropped.push(key))).toBe(true);
    expect(dropped).toEqual([]);
    expect(ledger.expireOffTheRecord(1_000, (key) => dropped.push(key))).toBe(false);
    expect(dropped).toEqual([`${INV}:off-the-record:cvv`]);
    expect(entry.retrieval).toMatchObject({ offTheRecordExpiresAt: null, offTheRecordNote: 'deleted' });
    const fields = entry.retrieval.fields;
    expect(fields.map((f) => [f.value, f.masked])).toEqual([
      ['4111', '••'],
      [null, ''],
    ]);
  });

  it('says which states end an invitation', () => {
    expect(['expired', 'cancelled'].every((s) => hasEnded(s as 'expired'))).toBe(true);
    expect(['sent', 'opened', 'submitted', 'viewed'].some((s) => hasEnded(s as 'sent'))).toBe(false);
  });
});
