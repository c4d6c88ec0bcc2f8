import { submitRequestSchema } from '@secure-forms/shared/api';
import { EnvelopeError, generateInvitationKeyPair, openAnswers } from '@secure-forms/shared/envelope';
import { formDefinitionSchema } from '@secure-forms/shared/form';
import { describe, expect, it } from 'vitest';
import { CVV, TEST_CARDS } from '../../../../fixtures/cards.js';
import { CARD_PAYMENT, withField, withFields } from '../../../../fixtures/forms.js';
import { buildSubmission, splitAnswers } from './seal.js';

/**
 * The example card form's card number, CVV and postcode, plus the two kinds of field the split
 * must also place: an optional secret answer kept off the record and an optional text field.
 */
const form = formDefinitionSchema.parse(
  withField(
    withField(withFields(CARD_PAYMENT, 'cardNumber', 'cvv', 'billingPostcode'), {
      id: 'memorable',
      type: 'secret-answer',
      label: 'Memorable word',
      offTheRecord: true,
      required: false,
    }),
    { id: 'nickname', type: 'text', label: 'Nickname', required: false },
  ),
);
const { visa, amex } = TEST_CARDS;
const invitationId = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const binding = { invitationId, siteId: 'demo', formRef: `${form.id}@${form.version}` };

describe('splitAnswers', () => {
  it('puts CVV and off-the-record fields apart, drops empty and unknown answers', () => {
    expect(
      splitAnswers(
        { form },
        { cardNumber: visa.digits, cvv: CVV, billingPostcode: 'SW1A 1AA', memorable: 'otter', nickname: '', stray: 'x' },
      ),
    ).toEqual({
      onRecord: { cardNumber: visa.digits, billingPostcode: 'SW1A 1AA' },
      offRecord: { cvv: CVV, memorable: 'otter' },
    });
  });
});

describe('buildSubmission', () => {
  it('seals each part to its keys, bound to the invitation, with hints beside them', async () => {
    const agent = await generateInvitationKeyPair();
    const history = await generateInvitationKeyPair();
    const body = await buildSubmission(
      { invitationId, siteId: 'demo', form, recordKeys: [agent.publicJwk, history.publicJwk], offTheRecordKey: agent.publicJwk },
      { cardNumber: amex.digits, cvv: '1234', billingPostcode: 'SW1A 1AA', memorable: 'otter' },
    );
    expect(submitRequestSchema.safeParse(body).success).toBe(true);
    expect(body.invitationId).toBe(invitationId);
    expect(body.fieldIds).toEqual({ onTheRecord: ['cardNumber', 'billingPostcode'], offTheRecord: ['cvv', 'memorable'] });
    expect(body.hints).toEqual({ cardBrand: 'amex', lastFour: amex.lastFour });
    expect(JSON.stringify(body)).not.toContain(amex.digits);
    expect(JSON.stringify(body)).not.toContain('otter');

    expect(await openAnswers(body.onTheRecord!, agent.privateKey, { ...binding, part: 'on-the-record' })).toEqual({
      cardNumber: amex.digits,
      billingPostcode: 'SW1A 1AA',
    });
    expect(await openAnswers(body.onTheRecord!, history.privateKey, { ...binding, part: 'on-the-record' })).toHaveProperty(
      'billingPostcode',
    );
    expect(await openAnswers(body.offTheRecord!, agent.privateKey, { ...binding, part: 'off-the-record' })).toEqual({
      cvv: '1234',
      memorable: 'otter',
    });
    // The history key never gets off-the-record answers, and the parts cannot be swapped.
    await expect(openAnswers(body.offTheRecord!, history.privateKey, { ...binding, part: 'off-the-record' })).rejects.toThrow(
      EnvelopeError,
    );
    await expect(openAnswers(body.offTheRecord!, agent.privateKey, { ...binding, part: 'on-the-record' })).rejects.toThrow(EnvelopeError);
    await expect(
      openAnswers(body.onTheRecord!, agent.privateKey, {
        ...binding,
        invitationId: '00000000-0000-4000-8000-000000000000',
        part: 'on-the-record',
      }),
    ).rejects.toThrow(EnvelopeError);
  });

  it('sends null for a part with no answers', async () => {
    const agent = await generateInvitationKeyPair();
    const body = await buildSubmission(
      { invitationId, siteId: 'demo', form, recordKeys: [agent.publicJwk], offTheRecordKey: agent.publicJwk },
      { cvv: CVV },
    );
    expect(body.onTheRecord).toBeNull();
    expect(body.offTheRecord).not.toBeNull();
    expect(body.fieldIds).toEqual({ onTheRecord: [], offTheRecord: ['cvv'] });
    expect(body.hints).toEqual({});
  });

  it('seals nothing when a recipient key is not exactly a public P-256 key', async () => {
    const agent = await generateInvitationKeyPair();
    const bad = [
      { ...agent.publicJwk, d: agent.publicJwk.x },
      { ...agent.publicJwk, y: agent.publicJwk.x },
      { ...agent.publicJwk, crv: 'P-384' },
      { ...agent.publicJwk, alg: 'none' },
    ] as unknown as (typeof agent.publicJwk)[];
    for (const key of bad) {
      await expect(
        buildSubmission(
          { invitationId, siteId: 'demo', form, recordKeys: [agent.publicJwk], offTheRecordKey: key },
          { billingPostcode: 'SW1A' },
        ),
      ).rejects.toThrow(EnvelopeError);
      await expect(
        buildSubmission({ invitationId, siteId: 'demo', form, recordKeys: [key], offTheRecordKey: agent.publicJwk }, { cvv: CVV }),
      ).rejects.toThrow(EnvelopeError);
    }
  });
});
