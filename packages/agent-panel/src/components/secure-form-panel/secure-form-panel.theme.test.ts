import { afterEach, describe, expect, it } from 'vitest';
import './secure-form-panel.js';

// The panel's theme properties carry the widget's names after the `--secure-form-panel-` prefix
// (text-color, secondary-text-color, primary-color, primary-text-color, error-color, focus-color,
// border-radius); the earlier names keep working, and win when a page sets both.
const RENAMED: [current: string, deprecated: string][] = [
  ['--secure-form-panel-text-color', '--secure-form-panel-color'],
  ['--secure-form-panel-secondary-text-color', '--secure-form-panel-muted-color'],
  ['--secure-form-panel-primary-color', '--secure-form-panel-accent'],
  ['--secure-form-panel-primary-text-color', '--secure-form-panel-accent-text'],
  ['--secure-form-panel-error-color', '--secure-form-panel-danger'],
  ['--secure-form-panel-focus-color', '--secure-form-panel-focus-ring'],
  ['--secure-form-panel-border-radius', '--secure-form-panel-radius'],
];

function mount(style: Record<string, string>): HTMLElement {
  const el = document.createElement('secure-form-panel');
  for (const [name, value] of Object.entries(style)) el.style.setProperty(name, value);
  document.body.append(el);
  return el;
}

/** The value the panel's own styles use for a token (they read the earlier names). */
const used = (el: HTMLElement, name: string) => getComputedStyle(el).getPropertyValue(name).trim();

afterEach(() => document.body.replaceChildren());

describe('<secure-form-panel> theme property names', () => {
  it.each(RENAMED)('%s themes what %s did', async (current, deprecated) => {
    const el = mount({ [current]: 'rgb(1, 2, 3)' });
    await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(used(el, deprecated)).toBe('rgb(1, 2, 3)');
  });

  it.each(RENAMED)('%s: the deprecated %s still works', async (_current, deprecated) => {
    const el = mount({ [deprecated]: 'rgb(4, 5, 6)' });
    await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(used(el, deprecated)).toBe('rgb(4, 5, 6)');
  });
});
