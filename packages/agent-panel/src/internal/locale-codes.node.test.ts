import { SOURCE_LOCALE, TARGET_LOCALES } from '@secure-forms/shared/locale';
import { expect, it } from 'vitest';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';

it("the shared locales are the ones lit-localize builds the panel's locale modules for (lit-localize.json)", () => {
  expect(SOURCE_LOCALE).toBe(sourceLocale);
  expect([...TARGET_LOCALES].sort()).toEqual([...targetLocales].sort());
});
