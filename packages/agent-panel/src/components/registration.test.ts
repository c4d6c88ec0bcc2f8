import { expect, it } from 'vitest';

// Each element has one registration style: its `x.component.ts` module declares the class and
// defines nothing; its `x.ts` module defines the tag.
it('defines <secure-form-panel> in its x.ts module, never in its component module', async () => {
  await import('./secure-form-panel/secure-form-panel.component.js');
  expect(customElements.get('secure-form-panel')).toBeUndefined();
  const { SecureFormPanel } = await import('./secure-form-panel/secure-form-panel.js');
  expect(customElements.get('secure-form-panel')).toBe(SecureFormPanel);
});
