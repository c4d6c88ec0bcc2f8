import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersSchema } from './envelope.js';
import { fieldIdSchema, formDefinitionSchema, localize, RESERVED_FIELD_IDS } from './form-definition.js';

/** Names every plain object inherits, which a record lookup by field id would find. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const form = (id: string) => ({ id: 'card', version: 1, title: 'Card', fields: [{ id, type: 'text', label: 'Label' }] });

describe('field ids that name Object.prototype members', () => {
  it('are refused by the form-definition schema, whatever else is around them, and never reach parsed answers', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', 'hasOwnProperty']));
    fc.assert(
      fc.property(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,20}$/), (reserved, other) => {
        expect(fieldIdSchema.safeParse(reserved).success).toBe(false);
        expect(formDefinitionSchema.safeParse(form(reserved)).success).toBe(false);
        const fields = [
          { id: other === reserved ? `${other}x` : other, type: 'text', label: 'A' },
          { id: reserved, type: 'text', label: 'B' },
        ];
        expect(formDefinitionSchema.safeParse({ ...form('a'), fields }).success).toBe(false);
        // zod refuses these keys, except `__proto__`, which it leaves out of what it returns.
        const answers = answersSchema.safeParse(JSON.parse(`{${JSON.stringify(reserved)}:"x"}`));
        if (answers.success) {
          expect(reserved).toBe('__proto__');
          expect(Object.hasOwn(answers.data, reserved)).toBe(false);
          expect(Object.getPrototypeOf(answers.data)).toBe(Object.prototype);
        }
      }),
    );
  });

  it('leaves every other id of the pattern valid', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,39}$/).filter((id) => !PROTOTYPE_NAMES.includes(id)),
        (id) => {
          expect(formDefinitionSchema.safeParse(form(id)).success).toBe(true);
        },
      ),
    );
  });

  it('lists exactly the prototype names the pattern would otherwise allow', () => {
    const allowedByPattern = PROTOTYPE_NAMES.filter((n) => /^[a-z][a-zA-Z0-9_]{0,39}$/.test(n)).sort();
    expect([...RESERVED_FIELD_IDS].sort()).toEqual(allowedByPattern);
  });
});

describe('localize', () => {
  const text = { en: 'Card number', translations: { es: 'Número de tarjeta' } };

  it('falls back to English for a locale named after an Object.prototype member', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom('', '-GB', '-x'), (name, region) => {
        expect(localize(text, `${name}${region}`)).toBe('Card number');
      }),
    );
    expect(localize(text, 'constructor')).toBe('Card number');
  });

  it('still finds own translations by tag and by language', () => {
    expect(localize(text, 'es')).toBe('Número de tarjeta');
    expect(localize(text, 'es-MX')).toBe('Número de tarjeta');
  });
});
