/**
 * `@secure-forms/consumer-widget/testing`: accessibility checks for QA with Playwright. Drive the
 * invitation and the form inside your own chat page and run, at every state, axe (WCAG 2.2 A/AA,
 * target size), reflow and the scripted checks (focus, live regions, direction and order), with a
 * screenshot, the axe results and the checks in Playwright's HTML report. Runs in Node (the
 * Playwright test runner), never in a browser bundle; needs `@playwright/test` and
 * `@axe-core/playwright`.
 */
export { WCAG_TAGS, checkState, runCheck, type Check, type CheckStateOptions, type StateReport } from './checks.js';
export { test, type SecureFormQa } from './fixture.js';
export { frameSettled } from './settle.js';
export { WIDGET_TEXT, type WidgetLang, type WidgetText } from './text.js';
export { walkSecureForm, type VisitorState, type WalkOptions } from './walk.js';
