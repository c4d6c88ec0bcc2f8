import { expect, it } from 'vitest';

// Each element has one registration style: its `x.component.ts` module declares the class and
// defines nothing; its `x.ts` module defines the tag.
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
