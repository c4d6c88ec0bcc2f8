import fc from 'fast-check';
import { formSummarySchema, type Answers } from '@secure-forms/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { answersOfPart } from '../../internal/record-parts.js';
import './secure-form-panel.js';
import type { SecureFormPanel } from './secure-form-panel.component.js';
import { CID, CVV, FakeBackend, FORMS, PCI, SESSION, sealedReply, submissionEvent, CARD_FORM } from './panel-test-support.js';

let backend: FakeBackend;

async function mount(): Promise<SecureFormPanel> {
  const el = document.createElement('secure-form-panel');
  el.setAttribute('pci-origin', PCI);
  el.setAttribute('conversation-id', CID);
  el.session = SESSION;
  document.body.append(el);
  await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Form' }).selectOptions('card-payment');
  await page.getByRole('button', { name: 'Send secure form' }).click();
  await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
  return el;
}

beforeEach(() => {
  backend = new FakeBackend();
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => backend.fetch(input, init));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('<secure-form-panel> and the off-the-record part', () => {
  it('explains off-the-record answers an earlier retrieve already took, and shows the rest', async () => {
    await mount();
    const reply = await sealedReply(backend, { offTheRecordState: 'handed-out' });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    const note = page.getByText(/already handed out once/);
    await expect.element(note).toBeVisible();
    await expect.element(note).toHaveTextContent(/stay on the page that first read them .* send a new form/);
    expect(page.getByRole('button', { name: /Security code/ }).query()).toBeNull();
  });
});

describe('<secure-form-panel> shows each part as the form defines it', () => {
  it('drops a CVV and an unknown field found in the on-the-record part, without showing either value', async () => {
    const el = await mount();
    const reply = await sealedReply(backend, { extraOnTheRecord: { cvv: CVV, smuggled: '99887766' } });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    await expect.element(page.getByText('Some answers are not shown because this form does not ask for them there.')).toBeVisible();
    // The CVV shows once, from the off-the-record part; never as an on-the-record answer.
    expect(el.shadowRoot!.querySelectorAll('[part~="answer-off-the-record"]')).toHaveLength(1);
    expect(el.shadowRoot!.querySelectorAll('[part="answer"]')).toHaveLength(2);
    const markup = el.shadowRoot!.innerHTML;
    expect(markup).not.toContain('smuggled');
    expect(markup).not.toContain('99887766');
  });

  it('keeps only the fields of the part, whatever the ids, including Object.prototype names', () => {
    const form = formSummarySchema.parse(FORMS[0]);
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'cardNumber', 'expiry', 'cvv', 'other'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...ids)),
        fc.constantFrom('on-the-record' as const, 'off-the-record' as const),
        (keys, part) => {
          const answers = Object.create(null) as Answers;
          for (const id of keys) answers[id] = `v-${id}`;
          const { kept, dropped } = answersOfPart(form, part, answers);
          const allowed = part === 'on-the-record' ? ['cardNumber', 'expiry'] : ['cvv'];
          expect([...kept.keys()].sort()).toEqual(keys.filter((k) => allowed.includes(k)).sort());
          expect(dropped).toBe(keys.length - kept.size);
          for (const [id, value] of kept) expect(value).toBe(`v-${id}`);
        },
      ),
    );
  });
});
