/**
 * The visitor's form on a phone, in Chromium's mobile emulation (touch, a 320 × 568 viewport, the
 * mobile viewport meta honoured): the form opens in its dialog and is completed by taps and typing;
 * the on-screen keyboard (the viewport's height shrinking mid-form) leaves the focused field in
 * view and nothing out of reach; turning the phone (the viewport swapped to landscape) keeps the
 * dialog usable and what was typed. Each field's `inputmode` and `autocomplete`, which choose the
 * phone's keyboard and what it offers to fill, are the field-type table's
 * (packages/shared/src/field-types.ts). WebKit's engine runs in playwright.engines.config.ts.
 */
import { fieldTypeSpec, type FieldType } from '@secure-forms/shared';
import { expect, test, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { CVV, PCI_ORIGIN, POSTCODE } from './support.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { CARD_FORM, TEXT, agentSession, apiInvitation, openHostPage } from './widget-support.js';

const PORTRAIT = { width: 320, height: 568 };
const LANDSCAPE = { width: 568, height: 320 };
/** What an on-screen keyboard leaves of a 568 px tall screen. */
const ABOVE_KEYBOARD = { width: 320, height: 300 };

test.use({ viewport: PORTRAIT, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

/** The field ids and types of a demo form, as the agent's catalog lists them. */
async function formFields(page: Page, formId: string): Promise<{ id: string; type: FieldType }[]> {
  const response = await page.request.get(`${PCI_ORIGIN}/v1/forms`, {
    headers: { 'Secure-Forms-Session': await agentSession(page.request) },
  });
  expect(response.ok()).toBe(true);
  const { forms } = (await response.json()) as { forms: { id: string; fields: { id: string; type: FieldType }[] }[] };
  return forms.find((form) => form.id === formId)!.fields;
}

/** Opens the invitation of `formId` at the viewport's size, by a tap: the form's frame in its dialog. */
async function openByTap(page: Page, visitorName: string, formId?: string): Promise<FrameLocator> {
  const invitation = await apiInvitation(page.request, visitorName, formId);
  await openHostPage(page, { ...invitation, lang: 'en' });
  await page.getByRole('button', { name: TEXT.en.open }).tap();
  await expect(page.getByRole('dialog')).toBeVisible();
  return page.frameLocator('iframe[part~="frame"]');
}

/** Whether the whole of the element shows in the viewport (the frame's own scrolling included). */
async function expectInView(page: Page, element: Locator, what: string): Promise<void> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what} is laid out`).not.toBeNull();
  expect(box!.y, `${what} below the top of the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} above the bottom of the screen (${viewport.height} px)`).toBeLessThanOrEqual(viewport.height);
  expect(box!.x, `${what} right of the screen's left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} left of the screen's right edge`).toBeLessThanOrEqual(viewport.width);
}

/** The dialog fits the screen: nothing of it lies beyond the viewport, where no scrolling would reach. */
async function expectDialogFits(page: Page): Promise<void> {
  await expectInView(page, page.getByRole('dialog'), 'the dialog');
}

async function tapAndType(page: Page, field: Locator, text: string): Promise<void> {
  await field.tap();
  await expect(field).toBeFocused();
  await page.keyboard.type(text);
}

for (const formId of ['card-payment', 'verify-identity']) {
  test(`each field of the ${formId} form asks for the keyboard and the autofill its type's table row says`, async ({ page }) => {
    const form = await openByTap(page, `Mo ${formId}`, formId);
    const fields = await formFields(page, formId);
    expect(fields.length).toBeGreaterThan(0);
    for (const { id, type } of fields) {
      const input = form.locator(`#f-${id}`);
      await expect(input, `${id} (${type})`).toBeAttached();
      const spec = fieldTypeSpec(type);
      if (spec.inputMode) await expect(input, `${id} (${type}) inputmode`).toHaveAttribute('inputmode', spec.inputMode);
      else await expect(input, `${id} (${type}) has no inputmode`).not.toHaveAttribute('inputmode');
      if (spec.autocomplete) await expect(input, `${id} (${type}) autocomplete`).toHaveAttribute('autocomplete', spec.autocomplete);
      else await expect(input, `${id} (${type}) has no autocomplete`).not.toHaveAttribute('autocomplete');
    }
  });
}

test('a phone completes the form by touch, with the on-screen keyboard open and after turning to landscape', async ({ page }) => {
  const labels = CARD_FORM.en;
  const form = await openByTap(page, 'Mo touch');
  await expectDialogFits(page);

  await tapAndType(page, form.getByLabel(labels.card), TEST_CARDS.visa.digits);
  await tapAndType(page, form.getByLabel(labels.expiry), '12/34');
  await tapAndType(page, form.getByLabel(labels.name), 'Ada Lovelace');

  // The keyboard opens over the lower part of the screen as the postcode field takes focus: the
  // focused field stays in view, the dialog shrinks with the viewport.
  const postcode = form.getByLabel(labels.postcode);
  await postcode.tap();
  await page.setViewportSize(ABOVE_KEYBOARD);
  await expect(postcode).toBeFocused();
  await expect.poll(async () => (await postcode.boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
  await expectInView(page, postcode, 'the focused postcode field, with the keyboard open');
  await expectDialogFits(page);
  await page.keyboard.type(POSTCODE);
  await tapAndType(page, form.getByLabel(labels.cvv), CVV);
  await expectInView(page, form.getByLabel(labels.cvv), 'the focused security code field, with the keyboard open');

  // The phone turns: landscape, 320 px tall. Nothing typed is lost and the dialog still fits.
  await page.setViewportSize(LANDSCAPE);
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectDialogFits(page);
  await expect(form.getByLabel(labels.card)).toHaveValue(TEST_CARDS.visa.number);
  await expect(form.getByLabel(labels.postcode)).toHaveValue(POSTCODE);

  // Continue, then Send, each reached and tapped in landscape.
  await form.getByRole('button', { name: TEXT.en.continue }).tap();
  await expect(form.getByRole('heading', { name: TEXT.en.review })).toBeFocused();
  await expectInView(page, form.getByRole('heading', { name: TEXT.en.review }), 'the review heading');
  await form.getByRole('button', { name: TEXT.en.send }).tap();
  await expect(page.getByText(TEXT.en.sent)).toBeVisible();
});
