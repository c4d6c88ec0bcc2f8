import { afterEach, describe, expect, it } from 'vitest';
import { useLocale } from '../localization.js';
import { localizeDocument } from './document-language.js';

const saved = { title: document.title, lang: document.documentElement.lang, dir: document.documentElement.dir };

afterEach(async () => {
  document.title = saved.title;
  document.documentElement.lang = saved.lang;
  document.documentElement.dir = saved.dir;
  document.body.replaceChildren();
  await useLocale('en');
});

describe('the frame document', () => {
  it('takes the visitor language and direction, and names the page and its main landmark in it', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    main.setAttribute('aria-label', 'Secure form');
    document.title = 'Secure form';
    await localizeDocument('ar');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.title).toBe('نموذج آمن');
    expect(main.getAttribute('aria-label')).toBe('نموذج آمن');
    await localizeDocument('de-CH');
    expect(document.documentElement.lang).toBe('de-CH');
    expect(document.documentElement.dir).toBe('ltr');
    expect(document.title).not.toBe('Secure form');
  });
});
