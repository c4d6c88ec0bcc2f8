/**
 * The panel's define module, run a second time (a workspace that loads the panel's script twice, or
 * two copies of the package on one page): the tag stays defined by the first copy, and nothing
 * throws. The `?copy` import is a second instance of the module, as a second script would be;
 * TypeScript does not resolve Vite's query, hence the `@ts-expect-error`.
 */
import { describe, expect, it } from 'vitest';

describe('element registration', () => {
  it('<secure-form-panel>: a second copy of its define module keeps the first definition and does not throw', async () => {
    await import('./secure-form-panel.js');
    const defined = customElements.get('secure-form-panel');
    expect(defined).toBeDefined();
    // @ts-expect-error -- a second instance of the module
    await expect(import('./secure-form-panel.js?copy')).resolves.toBeDefined();
    expect(customElements.get('secure-form-panel')).toBe(defined);
  });
});
