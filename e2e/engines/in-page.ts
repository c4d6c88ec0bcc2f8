/**
 * Runs inside the page (bundled by `page-script.ts` and injected by the driver): finds elements by
 * role and accessible name, or by text, through every open shadow root, as Playwright's getByRole
 * does for the Chromium suite. Role and name come from dom-accessibility-api (the implementation
 * Testing Library uses); walking the shadow roots is this project's own, since the panel, the
 * invite and the form all render in shadow DOM, which neither the library nor XPath enters.
 */
import { computeAccessibleName, getRole, isInaccessible } from 'dom-accessibility-api';

/** What to look for: a role and an accessible name (exact, or a regular expression's source). */
export interface RoleQuery {
  role: string;
  name: string;
  /** `name` is a regular expression's source rather than the exact name. */
  pattern?: boolean;
  /** Only elements with `aria-pressed="true"` (a toggle button that is on). */
  pressed?: boolean;
}

/** Every element under `root`, shadow trees included, in tree order. */
function* deepElements(root: Document | ShadowRoot | Element): Generator<Element> {
  for (const element of Array.from(root.children)) {
    yield element;
    if (element.shadowRoot) yield* deepElements(element.shadowRoot);
    yield* deepElements(element);
  }
}

function shown(element: Element): boolean {
  return element.checkVisibility() && !isInaccessible(element);
}

function matches(name: string, query: RoleQuery): boolean {
  return query.pattern ? new RegExp(query.name).test(name) : name === query.name;
}

/** The first shown element with this role and name, or null. */
export function byRole(query: RoleQuery): Element | null {
  for (const element of deepElements(document)) {
    if (getRole(element) !== query.role || !shown(element)) continue;
    if (query.pressed !== undefined && (element.getAttribute('aria-pressed') === 'true') !== query.pressed) continue;
    if (matches(computeAccessibleName(element), query)) return element;
  }
  return null;
}

/** The innermost shown element whose text (whitespace collapsed) matches, or null. */
export function byText(text: string, pattern = false): Element | null {
  let found: Element | null = null;
  for (const element of deepElements(document)) {
    const own = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    const hit = pattern ? new RegExp(text).test(own) : own.includes(text);
    if (hit && shown(element)) found = element;
  }
  return found;
}

/** The focused element, looking into shadow roots (not into frames). */
export function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Whether the element with this role and name has focus. */
export function hasFocus(query: RoleQuery): boolean {
  const element = byRole(query);
  return element !== null && element === focused();
}

/** The document's whole markup, shadow roots included: to check no value reached it. */
export function deepMarkup(): string {
  const parts = [document.documentElement.outerHTML];
  for (const element of deepElements(document)) if (element.shadowRoot) parts.push(element.shadowRoot.innerHTML);
  return parts.join('\n');
}

/** Whether a shown element has this role and name. */
export function hasRole(query: RoleQuery): boolean {
  return byRole(query) !== null;
}

/** Whether a shown element's text contains `text` (or matches it, as a regular expression's source). */
export function hasText(text: string, pattern = false): boolean {
  return byText(text, pattern) !== null;
}

/** The value of the form control with this role and name ('' when there is none). */
export function valueOf(query: RoleQuery): string {
  const element = byRole(query);
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement ? element.value : '';
}

/** The `dir` of the document element. */
export function direction(): string {
  return document.documentElement.dir;
}

/** What the page stores (localStorage and sessionStorage), as JSON. */
export function storage(): string {
  return JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
}

/** The focused element's role, accessible name and text (empty strings when nothing has focus). */
export function focusedElement(): { role: string; name: string; text: string } {
  const element = focused();
  if (!element || element === document.body) return { role: '', name: '', text: '' };
  return {
    role: getRole(element) ?? '',
    name: computeAccessibleName(element),
    text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(),
  };
}

/** The first element matching a CSS selector, shadow trees included (the form's iframe is in the invite's shadow root). */
export function deepQuery(selector: string): Element | null {
  for (const element of deepElements(document)) if (element.matches(selector)) return element;
  return null;
}

/** The browser's language as the page sees it (`navigator.language`). */
export function language(): string {
  return navigator.language;
}

/** A rectangle in the viewport's coordinates (CSS pixels). */
export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Where the first element matching `selector` (shadow trees included) can show: `clip`, the
 * viewport cut by every ancestor that clips (a scrolling transcript), across shadow roots; and
 * `shown`, the part of the element inside it (null when none is).
 */
export function shownPart(selector: string): { box: Box; clip: Box; shown: Box | null } | null {
  const element = deepQuery(selector);
  if (!element) return null;
  const clip: Box = { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
  const cut = (into: Box, by: Box) => {
    into.top = Math.max(into.top, by.top);
    into.bottom = Math.min(into.bottom, by.bottom);
    into.left = Math.max(into.left, by.left);
    into.right = Math.min(into.right, by.right);
  };
  for (let node: Node | null = element.parentNode; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (!(node instanceof Element) || node === document.documentElement) continue;
    if (getComputedStyle(node).overflow !== 'visible') cut(clip, node.getBoundingClientRect());
  }
  const { top, bottom, left, right } = element.getBoundingClientRect();
  const shown = { top, bottom, left, right };
  cut(shown, clip);
  return { box: { top, bottom, left, right }, clip, shown: shown.bottom > shown.top && shown.right > shown.left ? shown : null };
}

/**
 * Whether the focused element shows a focus indicator: it matches `:focus-visible` and has an
 * outline or a box shadow. Null when the document does not have the system's focus (a browser
 * then matches neither `:focus` nor `:focus-visible`, and draws no indicator at all).
 */
export function focusRing(): boolean | null {
  if (!document.hasFocus()) return null;
  const element = focused();
  if (!element || element === document.body || !element.matches(':focus-visible')) return false;
  const style = getComputedStyle(element);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
}

/** The focused element's box in this document's viewport (null when nothing has focus). */
export function focusedBox(): Box | null {
  const element = focused();
  if (!element || element === document.body) return null;
  const { top, bottom, left, right } = element.getBoundingClientRect();
  return { top, bottom, left, right };
}
