import { EnvelopeError, sealAnswers, type HistoryEntry, type RetrieveResponse } from '@secure-forms/shared';
import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { describe, expect, it } from 'vitest';
import { CARD, CVV, FORMS, INV, SID, CARD_FORM } from './panel-test-support.js';
import type { InvitationEntry } from './invitation-ledger.js';
import { OFF_THE_RECORD_FALLBACK_MS, answered, openHistoryView, openRetrieved, toFields } from './open-answers.js';

const binding = { invitationId: INV, siteId: 'demo', formRef: 'card-payment@1' };

function entry(): InvitationEntry {
  return {
    id: INV,
    mine: true,
    formId: 'card-payment',
    formVersion: 1,
    formTitle: CARD_FORM.title,
    state: 'submitted',
    opens: 1,
    updatedAt: 0,
    submissionId: SID,
    trail: [],
    retrieval: { status: 'retrieving' },
  };
}

async function reply(over: Partial<RetrieveResponse> = {}) {
  const { privateKey, publicJwk } = await generateInvitationKeyPair();
  const response: RetrieveResponse = {
    submissionId: SID,
    invitationId: INV,
    siteId: 'demo',
    formRef: 'card-payment@1',
    submittedAt: new Date(0).toISOString(),
    onTheRecord: await sealAnswers({ expiry: '12/30', cardNumber: CARD }, [publicJwk], { ...binding, part: 'on-the-record' }),
    offTheRecord: await sealAnswers({ cvv: CVV }, [publicJwk], { ...binding, part: 'off-the-record' }),
    offTheRecordState: 'available',
    offTheRecordExpiresAt: null,
    hints: { cardBrand: 'visa', lastFour: '1111' },
    ...over,
  };
  return { privateKey, response };
}

describe('toFields and answered', () => {
  it('labels answers from the form, masks card numbers to their last four and brand and other values fully', () => {
    const fields = toFields(
      's',
      'on-the-record',
      new Map([
        ['cardNumber', CARD],
        ['extra', 'x'],
      ]),
      FORMS[0],
      'en',
      { cardBrand: 'visa', lastFour: '1111' },
    );
    expect(fields.map((f) => [f.key, f.label, f.masked])).toEqual([
      ['s:on-the-record:cardNumber', 'Card number', '•••• 1111'],
      ['s:on-the-record:extra', 'extra', expect.not.stringContaining('x')],
    ]);
    expect(fields.map((f) => f.card)).toEqual([{ lastFour: '1111', brand: 'visa' }, undefined]);
    // Hints that do not match the number name no brand.
    const [card] = toFields('s', 'on-the-record', new Map([['cardNumber', CARD]]), FORMS[0], 'en', {
      cardBrand: 'amex',
      lastFour: '0005',
    });
    expect(card?.card).toEqual({ lastFour: '1111', brand: undefined });
  });

  it('orders answers as the form lists its fields, unknown ones last', () => {
    const fields = toFields(
      's',
      'on-the-record',
      new Map([
        ['x', '1'],
        ['cvv', '2'],
        ['cardNumber', '3'],
      ]),
      FORMS[0],
      'en',
    );
    expect(answered(fields, FORMS[0], null, null).fields.map((f) => f.key.split(':')[2])).toEqual(['cardNumber', 'cvv', 'x']);
  });
});

describe('openRetrieved', () => {
  it('opens both parts under the binding of what was sent, in form order', async () => {
    const { privateKey, response } = await reply({ offTheRecordExpiresAt: new Date(90_000).toISOString() });
    const ready = await openRetrieved(entry(), response, privateKey, FORMS, 'en');
    expect(ready.fields.map((f) => [f.label, f.part, f.value])).toEqual([
      ['Card number', 'on-the-record', CARD],
      ['Expiry date', 'on-the-record', '12/30'],
      [CARD_FORM.cvv, 'off-the-record', CVV],
    ]);
    expect([ready.offTheRecordExpiresAt, ready.offTheRecordNote, ready.leftOut]).toEqual([90_000, null, false]);
  });

  it('drops off-the-record answers after the fallback time when the backend gives none', async () => {
    const { privateKey, response } = await reply();
    const ready = await openRetrieved(entry(), response, privateKey, FORMS, 'en', 1_000);
    expect(ready.offTheRecordExpiresAt).toBe(1_000 + OFF_THE_RECORD_FALLBACK_MS);
  });

  it('says why off-the-record answers are missing', async () => {
    const { privateKey, response } = await reply({ offTheRecord: null, offTheRecordState: 'handed-out' });
    const ready = await openRetrieved(entry(), response, privateKey, FORMS, 'en');
    expect([ready.fields.length, ready.offTheRecordNote, ready.offTheRecordExpiresAt]).toEqual([2, 'handed-out', null]);
  });

  it('refuses a response for another invitation or submission', async () => {
    const { privateKey, response } = await reply();
    await expect(openRetrieved({ ...entry(), submissionId: 'other' }, response, privateKey, FORMS, 'en')).rejects.toBeInstanceOf(
      EnvelopeError,
    );
    await expect(openRetrieved({ ...entry(), id: 'other' }, response, privateKey, FORMS, 'en')).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('refuses answers sealed for another form version than the one sent', async () => {
    const { privateKey, response } = await reply();
    await expect(openRetrieved({ ...entry(), formVersion: 2 }, response, privateKey, FORMS, 'en')).rejects.toThrow();
  });
});

describe('openHistoryView', () => {
  it('opens the on-the-record part of one view, and refuses another submission', async () => {
    const { privateKey, response } = await reply();
    const history = {
      submissionId: SID,
      invitationId: INV,
      formRef: 'card-payment@1',
      formTitle: CARD_FORM.title,
      submittedAt: response.submittedAt,
      viewable: true,
    } as HistoryEntry;
    const view = { ...response, onTheRecord: response.onTheRecord! };
    const ready = await openHistoryView(history, view, privateKey, FORMS, 'en');
    expect(ready.fields.map((f) => [f.key, f.value])).toEqual([
      [`h-${SID}:on-the-record:cardNumber`, CARD],
      [`h-${SID}:on-the-record:expiry`, '12/30'],
    ]);
    await expect(openHistoryView({ ...history, submissionId: 'other' }, view, privateKey, FORMS, 'en')).rejects.toBeInstanceOf(
      EnvelopeError,
    );
  });
});
