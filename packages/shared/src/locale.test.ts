import { describe, expect, it } from 'vitest';
import { directionOf, resolveLocale, SOURCE_LOCALE, TARGET_LOCALES } from './locale.js';

const SUPPORTED = ['ar', 'de', 'es', 'fr'];

describe('resolveLocale', () => {
  it('picks the tag itself, else its language, else the fallback', () => {
    expect(resolveLocale('es', SUPPORTED, 'en')).toBe('es');
    expect(resolveLocale('es-MX', SUPPORTED, 'en')).toBe('es');
    expect(resolveLocale(' FR_ca ', SUPPORTED, 'en')).toBe('fr');
    expect(resolveLocale('pt-BR', SUPPORTED, 'en')).toBe('en');
    expect(resolveLocale('', SUPPORTED, 'en')).toBe('en');
    expect(resolveLocale(null, SUPPORTED, 'en')).toBe('en');
    expect(resolveLocale('pt-BR', [...SUPPORTED, 'pt-br'], 'en')).toBe('pt-br');
  });
});

describe('resolveLocale without a list', () => {
  it("resolves among the widget's and the panel's locales, English the fallback", () => {
    for (const tag of ['es', 'es-MX', ' FR_ca ', 'ar-EG', 'pt-BR', 'en-GB', '', null]) {
      expect(resolveLocale(tag), String(tag)).toBe(resolveLocale(tag, TARGET_LOCALES, SOURCE_LOCALE));
    }
  });
});

describe('directionOf', () => {
  it('is right to left for Arabic, Hebrew (also iw), Persian and Urdu, with or without a region', () => {
    for (const tag of ['ar', 'ar-EG', 'AR', 'he', 'he-IL', 'iw', 'fa', 'fa_IR', 'ur-PK', ' ar ']) {
      expect(directionOf(tag), tag).toBe('rtl');
    }
  });

  it('is left to right for every other language, and for no tag at all', () => {
    for (const tag of ['en', 'es-MX', 'fr', 'de', 'arn', 'hei', '', null, undefined]) {
      expect(directionOf(tag), String(tag)).toBe('ltr');
    }
  });
});
