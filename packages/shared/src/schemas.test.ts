import { describe, expect, it } from 'vitest';
import { CARD_PAYMENT, withFields } from '../../../fixtures/forms.js';
import { toSecureFormsError } from './errors.js';
import { formDefinitionSchema, isOffTheRecord, localize } from './form-definition.js';
import { frameToHostSchema, frameUrl, FRAME_PROTOCOL, hostToFrameSchema } from './frame-protocol.js';

/** The example card form's card number and CVV, without its open limit (so that the default shows). */
const { openLimit: _openLimit, ...form } = withFields(CARD_PAYMENT, 'cardNumber', 'cvv');

describe('form definitions', () => {
  it('parses with defaults', () => {
    const parsed = formDefinitionSchema.parse(form);
    expect(parsed.openLimit).toBe(3);
    expect(parsed.fields[0]).toMatchObject({ required: true, masked: false, offTheRecord: false });
  });
  it('keeps a CVV off the record even when the definition forgets to say so', () => {
    const parsed = formDefinitionSchema.parse(form);
    expect(isOffTheRecord(parsed.fields[1]!)).toBe(true);
    expect(isOffTheRecord(parsed.fields[0]!)).toBe(false);
    // Card verification codes and PINs stay off the record even when a definition says otherwise.
    expect(isOffTheRecord({ type: 'cvv', offTheRecord: false })).toBe(true);
    expect(isOffTheRecord({ type: 'pin', offTheRecord: false })).toBe(true);
    expect(isOffTheRecord({ type: 'ssn', offTheRecord: false })).toBe(false);
  });
  it('refuses duplicate field ids and selects without options', () => {
    const dup = { ...form, fields: [form.fields[0], form.fields[0]] };
    expect(formDefinitionSchema.safeParse(dup).success).toBe(false);
    const select = { ...form, fields: [{ id: 'plan', type: 'select', label: 'Plan' }] };
    expect(formDefinitionSchema.safeParse(select).success).toBe(false);
  });
  it('lets card number fields, and no other type, take airline cards', () => {
    const airline = { ...form.fields[0], airlineCards: true };
    expect(formDefinitionSchema.parse({ ...form, fields: [airline] }).fields[0]).toMatchObject({ airlineCards: true });
    const text = { id: 'note', type: 'text', label: 'Note', airlineCards: true };
    const refused = formDefinitionSchema.safeParse({ ...form, fields: [text] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('airlineCards is for card-number fields only');
  });
  it('picks a translation, then the language, then English', () => {
    expect(localize(form.title, 'es')).toBe('Tarjeta de pago');
    expect(localize(form.title, 'es-MX')).toBe('Tarjeta de pago');
    expect(localize(form.title, 'it')).toBe('Payment card');
  });
});

describe('the frame protocol', () => {
  it('accepts our messages and ignores anything else', () => {
    expect(frameToHostSchema.safeParse({ protocol: FRAME_PROTOCOL, type: 'ready' }).success).toBe(true);
    expect(frameToHostSchema.safeParse({ type: 'ready' }).success).toBe(false);
    expect(frameToHostSchema.safeParse({ protocol: FRAME_PROTOCOL, type: 'value', value: '4111' }).success).toBe(false);
    expect(hostToFrameSchema.safeParse({ protocol: FRAME_PROTOCOL, type: 'open', invitationId: 'x', viewOtk: 'y' }).success).toBe(false);
    expect(hostToFrameSchema.safeParse({ protocol: FRAME_PROTOCOL, type: 'open', invitationId: 'x', conversationToken: 'y' }).success).toBe(
      false,
    );
    expect(frameToHostSchema.safeParse({ protocol: FRAME_PROTOCOL, type: 'opened', opensLeft: -1 }).success).toBe(false);
  });
  it('puts no secret in the frame URL', () => {
    const url = frameUrl('http://127.0.0.1:8443', { siteId: 'demo', hostOrigin: 'http://localhost:8080' });
    expect(url).toBe('http://127.0.0.1:8443/frame/?site=demo&host=http%3A%2F%2Flocalhost%3A8080&v=2');
  });
});

describe('error bodies', () => {
  it('turns a refusal body into a coded error, and anything else into INTERNAL', () => {
    expect(toSecureFormsError(410, { error: { code: 'OTK_USED', message: 'used' } }).code).toBe('OTK_USED');
    expect(toSecureFormsError(502, '<html>').code).toBe('INTERNAL');
  });
});
