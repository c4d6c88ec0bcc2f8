import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formForLocale, localize, textForLocale, type FormDefinition, type LocalizedText } from './form-rules.js';

const TAGS = ['ar', 'de', 'es', 'es-MX', 'fr', 'fr-CA', 'en', 'en-GB', 'zh-Hant-TW', 'constructor', 'toString-x'];
const tag = fc.constantFrom(...TAGS);
const localizedText: fc.Arbitrary<LocalizedText> = fc.oneof(
  fc.string(),
  fc.record(
    { en: fc.string(), translations: fc.dictionary(fc.constantFrom(...TAGS, '__proto__', 'hasOwnProperty'), fc.string()) },
    { requiredKeys: ['en'] },
  ),
);

describe('textForLocale', () => {
  it('reads the same in its locale as the full text', () => {
    fc.assert(
      fc.property(localizedText, tag, (text, locale) => {
        expect(localize(textForLocale(text, locale), locale)).toBe(localize(text, locale));
      }),
    );
  });

  it('keeps no translation but the tag itself and its language', () => {
    fc.assert(
      fc.property(localizedText, tag, (text, locale) => {
        const kept = textForLocale(text, locale);
        const keys = typeof kept === 'string' ? [] : Object.keys(kept.translations ?? {});
        for (const key of keys) expect([locale, locale.split('-')[0]]).toContain(key);
      }),
    );
  });

  it('leaves out `translations` when none is left, and keeps a plain string as it is', () => {
    expect(textForLocale({ en: 'Card number', translations: { es: 'Número de tarjeta' } }, 'de')).toEqual({ en: 'Card number' });
    expect(textForLocale('Card number', 'de')).toBe('Card number');
  });
});

describe('formForLocale', () => {
  const t = (en: string) => ({ en, translations: { ar: `${en} (ar)`, fr: `${en} (fr)`, 'fr-CA': `${en} (fr-CA)` } });
  const form: FormDefinition = {
    id: 'card-payment',
    version: 2,
    title: t('Payment card'),
    description: t('Your card'),
    openLimit: 3,
    fields: [
      {
        id: 'cardNumber',
        type: 'card-number',
        label: t('Card number'),
        hint: t('16 digits'),
        required: true,
        masked: false,
        offTheRecord: false,
      },
      {
        id: 'kind',
        type: 'select',
        label: 'Kind',
        required: true,
        masked: false,
        offTheRecord: false,
        options: [{ value: 'debit', label: t('Debit') }],
      },
    ],
  };

  it('keeps every text of the form to the locale, and everything else as it was', () => {
    const fr = formForLocale(form, 'fr-CA');
    expect(fr.title).toEqual({ en: 'Payment card', translations: { 'fr-CA': 'Payment card (fr-CA)', fr: 'Payment card (fr)' } });
    expect(fr.description).toEqual({ en: 'Your card', translations: { 'fr-CA': 'Your card (fr-CA)', fr: 'Your card (fr)' } });
    expect(fr.fields[0]!.hint).toEqual({ en: '16 digits', translations: { 'fr-CA': '16 digits (fr-CA)', fr: '16 digits (fr)' } });
    expect(fr.fields[1]!.options![0]!.label).toEqual({ en: 'Debit', translations: { 'fr-CA': 'Debit (fr-CA)', fr: 'Debit (fr)' } });
    expect(formForLocale(form, 'de').fields[0]!.label).toEqual({ en: 'Card number' });
    const strip = (f: FormDefinition) => JSON.stringify(f, (k, v: unknown) => (k === 'translations' ? undefined : v));
    expect(strip(formForLocale(form, 'ar'))).toBe(strip(form));
    // A form without a description or hints gets none.
    const { description: _d, ...withoutDescription } = form;
    const { hint: _h, ...withoutHint } = form.fields[0]!;
    const bare = formForLocale({ ...withoutDescription, fields: [withoutHint] }, 'ar');
    expect(bare).not.toHaveProperty('description');
    expect(bare.fields[0]).not.toHaveProperty('hint');
  });
});
