import { generateInvitationKeyPair, openAnswers } from '@secure-forms/shared/envelope';
import type { FormDefinition } from '@secure-forms/shared/form';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSubmission } from '../../frame/seal.js';
import './secure-form.js';

/**
 * Field ids naming Object.prototype members. The form-definition schema refuses them; these tests
 * hand such a form to the element directly, to show its records never read an inherited member.
 */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const formWith = (reserved: string): FormDefinition => ({
  id: 'proto',
  version: 1,
  title: 'Proto',
  openLimit: 3,
  fields: [
    { id: 'name', type: 'text', label: 'Name', required: true, masked: false, offTheRecord: false },
    { id: reserved, type: 'text', label: 'Nickname', required: false, masked: false, offTheRecord: false },
  ],
});

afterEach(() => document.body.replaceChildren());

describe('the form with a field id named after an Object.prototype member', () => {
  it('reviews an unanswered one as "Not given" and sends only what was typed, sealed', async () => {
    const keys = await generateInvitationKeyPair();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[A-Za-z]{1,12}$/), async (reserved, name) => {
        document.body.replaceChildren();
        const el = document.createElement('secure-form');
        el.form = formWith(reserved);
        let sent: Record<string, string> | null = null;
        el.submitAnswers = (answers) => {
          sent = answers;
          return Promise.resolve(true);
        };
        document.body.append(el);
        await el.updateComplete;
        const input = el.shadowRoot!.querySelector<HTMLInputElement>('#f-name')!;
        input.value = name;
        input.dispatchEvent(new Event('input'));
        el.shadowRoot!.querySelector<HTMLButtonElement>('[part="continue-button"]')!.click();
        await el.updateComplete;
        const review = el.shadowRoot!.querySelector('[part="review-list"]')!.textContent;
        expect(review).not.toContain('native code');
        expect(review).toContain('Not given');
        await el.send();
        expect(sent).not.toBeNull();
        expect(Object.keys(sent!)).toEqual(['name']);
        expect(Object.hasOwn(sent!, reserved)).toBe(false);

        const context = {
          invitationId: '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f',
          siteId: 'demo',
          form: formWith(reserved),
          recordKeys: [keys.publicJwk],
          offTheRecordKey: keys.publicJwk,
        };
        const body = await buildSubmission(context, sent!);
        expect(body.fieldIds).toEqual({ onTheRecord: ['name'], offTheRecord: [] });
        const opened = await openAnswers(body.onTheRecord!, keys.privateKey, {
          invitationId: context.invitationId,
          siteId: 'demo',
          formRef: 'proto@1',
          part: 'on-the-record',
        });
        expect(opened).toEqual({ name });
      }),
      { numRuns: 15 },
    );
  });
});
