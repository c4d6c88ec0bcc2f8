/**
 * One person at one browser, as the engine specs drive them, in steps that do not depend on the
 * driver (Puppeteer over WebDriver BiDi for Firefox, classic WebDriver for WebKit).
 * Elements are found by role and accessible name, through shadow roots, in the page or in the
 * secure form's cross-origin frame.
 */
import type { Box, RoleQuery } from './in-page.js';

export type { RoleQuery };

/** The top document, or the secure form's frame inside it. */
export type Where = 'page' | 'form';

/** The iframe the widget opens the form in, by its documented part (`frame`): its title is in the visitor's language. */
export const FORM_FRAME = 'iframe[part~="frame"]';

/** What the in-page helpers answer (see `in-page.ts`). */
export interface Probe {
  /** Whether a shown element has this role and name. */
  hasRole(query: RoleQuery): boolean;
  /** Whether a shown element's text contains `text` (or matches it, as a regular expression's source). */
  hasText(text: string, pattern?: boolean): boolean;
  /** Whether the element with this role and name has focus. */
  hasFocus(query: RoleQuery): boolean;
  /** The focused element's role, accessible name and text (empty strings when nothing has focus). */
  focusedElement(): { role: string; name: string; text: string };
  /** The value of the form control with this role and name ('' when there is none). */
  valueOf(query: RoleQuery): string;
  /** The document's markup, shadow roots included. */
  deepMarkup(): string;
  /** The browser's language as the page sees it (`navigator.language`). */
  language(): string;
  /** The `dir` of the document element. */
  direction(): string;
  /** What the page stores (localStorage and sessionStorage), as JSON. */
  storage(): string;
  /** Where the element matching a selector is, where it can show (the viewport cut by the scrolling boxes around it), and what of it shows. */
  shownPart(selector: string): { box: Box; clip: Box; shown: Box | null } | null;
  /** The focused element's box in its document's viewport. */
  focusedBox(): Box | null;
  /** Whether the focused element shows a focus indicator (null when the document lacks the system's focus). */
  focusRing(): boolean | null;
}

export interface Person {
  readonly engine: 'firefox' | 'webkit';
  /** Loads a path of the brand origin. */
  goto(path: string): Promise<void>;
  /** A pointer click on the element with this role and name, waiting for it to show and to stop moving (its box the same over 150 ms). */
  click(query: RoleQuery, where?: Where): Promise<void>;
  /** Presses one key or a chord such as `Shift+Tab`, wherever focus is. */
  press(key: string): Promise<void>;
  /** Types text, wherever focus is. */
  type(text: string): Promise<void>;
  /** Asks the in-page helpers in the page or the form's frame. */
  ask<K extends keyof Probe>(where: Where, method: K, ...args: Parameters<Probe[K]>): Promise<ReturnType<Probe[K]>>;
  /** axe-core over the page and the form's frame (when open): one line per violation. */
  axe(tags: string[], rules: Record<string, { enabled: boolean }>): Promise<string[]>;
  /** A PNG of the page as shown (attached to a failed test's report). */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}
