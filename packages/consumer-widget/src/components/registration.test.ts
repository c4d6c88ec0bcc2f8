import { describe, expect, it } from 'vitest';

// Each element has one registration style: its `x.component.ts` module declares the class and
// defines nothing; its `x.ts` module defines the tag unless the page has it.
it('defines each element in its x.ts module, never in its component module', async () => {
  await import('./secure-form/secure-form.component.js');
  expect(customElements.get('secure-form')).toBeUndefined();
  const { SecureForm } = await import('./secure-form/secure-form.js');
  expect(customElements.get('secure-form')).toBe(SecureForm);

  await import('./secure-form-frame/secure-form-frame.component.js');
  expect(customElements.get('secure-form-frame')).toBeUndefined();
  const { SecureFormFrame } = await import('./secure-form-frame/secure-form-frame.js');
  expect(customElements.get('secure-form-frame')).toBe(SecureFormFrame);

  await import('./secure-form-invite/secure-form-invite.component.js');
  expect(customElements.get('secure-form-invite')).toBeUndefined();
  const { SecureFormInvite } = await import('./secure-form-invite/secure-form-invite.js');
  expect(customElements.get('secure-form-invite')).toBe(SecureFormInvite);
});

/**
 * And each element's define module run a second time (a brand page that adds the loader twice, or two
 * copies of the package on one page): the tag stays defined by the first copy, and nothing throws.
 * The `?copy` import is a second instance of the module, as a second script would be; TypeScript
 * does not resolve Vite's query, hence the `@ts-expect-error`s.
 */
const DEFINES: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  [
    'secure-form-invite',
    () => import('./secure-form-invite/secure-form-invite.js'),
    // @ts-expect-error -- a second instance of the module
    () => import('./secure-form-invite/secure-form-invite.js?copy'),
  ],
  [
    'secure-form-frame',
    () => import('./secure-form-frame/secure-form-frame.js'),
    // @ts-expect-error -- a second instance of the module
    () => import('./secure-form-frame/secure-form-frame.js?copy'),
  ],
  [
    'secure-form',
    () => import('./secure-form/secure-form.js'),
    // @ts-expect-error -- a second instance of the module
    () => import('./secure-form/secure-form.js?copy'),
  ],
];

describe('element registration', () => {
  it.each(DEFINES)('<%s>: a second copy of its define module keeps the first definition and does not throw', async (tag, first, copy) => {
    await first();
    const defined = customElements.get(tag);
    expect(defined).toBeDefined();
    await expect(copy()).resolves.toBeDefined();
    expect(customElements.get(tag)).toBe(defined);
  });
});
