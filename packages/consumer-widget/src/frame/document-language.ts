import { msg } from '@lit/localize';
import { directionOf, languageAttribute, useLocale } from '../localization.js';

/**
 * Sets the frame document's language and direction from the visitor's tag, loads that locale's
 * strings, then names the page in it: its `<title>` and its main landmark, which the static page
 * ships in English (WCAG 3.1.1 and 3.1.2: the page says "Secure form" in the language it claims).
 */
export async function localizeDocument(tag: string): Promise<void> {
  const root = document.documentElement;
  root.lang = languageAttribute(tag);
  root.dir = directionOf(tag);
  await useLocale(tag);
  document.title = msg('Secure form');
  document.querySelector('main')?.setAttribute('aria-label', msg('Secure form'));
}
