/**
 * The walk through the visitor's states, in whatever chat page holds the invitation: the
 * invitation, the open form, the form showing errors, the review step, and the invitation after
 * sending. Each state gets `checkState` (axe, reflow, screenshot) plus the scripted checks that
 * state calls for: where focus is, which live regions speak, the direction and order of the form.
 */
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { checkState, runCheck, type Check, type StateReport } from './checks.js';
import { frameSettled } from './settle.js';
import { WIDGET_TEXT, type WidgetLang, type WidgetText } from './text.js';

/** The states the walk stops at, in order. */
export type VisitorState = 'invitation' | 'open form' | 'errors' | 'review' | 'sent';

export interface WalkOptions {
  /** The `<secure-form-invite>` to drive; the page's first (open shadow roots pierced) when left out. */
  invite?: Locator;
  /** The invite's `locale`: picks the words to find buttons by and the direction expected. */
  lang?: WidgetLang;
  /** Your own words, when the invite's locale is not one of `WIDGET_TEXT`'s. */
  text?: WidgetText;
  /** `rtl` for Arabic, else `ltr`, unless said here. */
  dir?: 'ltr' | 'rtl';
  /** Fill every field with a valid answer (public test card numbers only), inside the form's frame. */
  fill(frame: FrameLocator): Promise<void>;
  /** Called at each state before it is checked, for checks of your own. */
  onState?(state: VisitorState, frame: FrameLocator): Promise<void>;
  /** Stop at the review step instead of sending. */
  send?: boolean;
  /** Label for the states in the report, e.g. `Arabic, 320 px`. */
  label?: string;
}

/**
 * Walk the visitor's side of one invitation from "Open secure form" to "Sent securely" and check
 * each state. Returns what each state showed; inside a Playwright test the states are also in the
 * report, and the test fails at its end if any state had a violation or a failed check.
 */
export async function walkSecureForm(page: Page, options: WalkOptions): Promise<StateReport[]> {
  const text = options.text ?? WIDGET_TEXT[options.lang ?? 'en'];
  const dir = options.dir ?? (options.lang === 'ar' ? 'rtl' : 'ltr');
  const invite = options.invite ?? page.locator('secure-form-invite').first();
  const frame = invite.frameLocator('iframe');
  const name = (state: VisitorState) => (options.label ? `${state} (${options.label})` : state);
  const reports: StateReport[] = [];
  const check = async (state: VisitorState, checks: Check[]) => {
    await options.onState?.(state, frame);
    const handle = await invite
      .locator('iframe')
      .elementHandle({ timeout: 1000 })
      .catch(() => null);
    const formFrame = await handle?.contentFrame();
    reports.push(await checkState(page, name(state), { checks, frames: formFrame ? [formFrame] : [] }));
  };

  const open = invite.getByRole('button', { name: text.open });
  await expect(open).toBeVisible();
  await check('invitation', [
    await runCheck('live region: the invitation has one status region for its state', () =>
      expect(invite.getByRole('status')).toHaveCount(1),
    ),
  ]);

  await open.click();
  const continueButton = frame.getByRole('button', { name: text.continue });
  await expect(continueButton).toBeVisible();
  await check('open form', [
    await runCheck('focus: moves into the form', () =>
      expect.poll(() => frame.locator(':root').evaluate(() => document.hasFocus())).toBe(true),
    ),
    await runCheck(`direction: the form is ${dir}`, () => expect(frame.locator(':root')).toHaveAttribute('dir', dir)),
    await runCheck(`order: Continue sits on the ${dir === 'rtl' ? 'right' : 'left'}, where reading starts`, async () => {
      const { x, width, viewport } = await continueButton.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return { x: box.x, width: box.width, viewport: document.documentElement.clientWidth };
      });
      expect(dir === 'rtl' ? x + width > viewport / 2 : x < viewport / 2).toBe(true);
    }),
  ]);

  // The form changes size as it is filled: the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await continueButton.click();
  const summary = frame.getByRole('alert').filter({ hasText: text.problem });
  await check('errors', [
    await runCheck('focus: the error summary takes focus', () => expect(summary).toBeFocused()),
    await runCheck('errors: the summary links to the fields', () => expect(summary.getByRole('link').first()).toBeVisible()),
    await runCheck('errors: invalid fields say so, with their message as description', async () => {
      const invalid = frame.locator('[aria-invalid="true"]');
      await expect(invalid.first()).toBeVisible();
      await expect(invalid.first()).toHaveAccessibleDescription(/\S/);
    }),
  ]);

  await options.fill(frame);
  // The form changes size as it is filled: the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await continueButton.click();
  const review = frame.getByRole('heading', { name: text.review });
  await check('review', [await runCheck('focus: the review heading takes focus', () => expect(review).toBeFocused())]);
  if (options.send === false) return reports;

  // The review step is shorter than the form: wait for the frame to take its new size.
  await frameSettled(frame);
  await frame.getByRole('button', { name: text.send }).click();
  const status = invite.getByRole('status');
  await check('sent', [
    await runCheck('live region: "sent" is announced in the invitation status', () => expect(status).toHaveText(text.sent)),
    await runCheck('focus: returns to the invitation status', () => expect(status).toBeFocused()),
  ]);
  return reports;
}
