import { warmUrl } from '@secure-forms/shared/frame-url';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { frameLoad, INVITATION_ID, mount, TOKEN, warmFrames } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite> warming the PCI site up before the click', () => {
  it('loads one hidden warm-up page per PCI origin while an invitation can be opened: not displayed, not focusable, nothing of the invitation in it', async () => {
    await mount('https://pci.example');
    await mount('https://pci.example');
    expect(warmFrames()).toHaveLength(1);
    const [frame] = warmFrames() as [HTMLIFrameElement];
    expect(frame.src).toBe(warmUrl('https://pci.example', { siteId: 'demo', hostOrigin: location.origin }));
    expect(frame.hidden).toBe(true);
    expect(getComputedStyle(frame).display).toBe('none');
    expect(frame.getAttribute('aria-hidden')).toBe('true');
    expect(frame.tabIndex).toBe(-1);
    expect(frame.title).toBe('Preparing the secure form');
    expect(frame.loading).toBe('eager');
    // Its own origin (the site's cache partition and process), no script.
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(frame.referrerPolicy).toBe('origin');
    for (const secret of [INVITATION_ID, TOKEN]) expect(frame.outerHTML).not.toContain(secret);
    // A page's stylesheet does not bring it back.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('iframe { display: block !important; }');
    document.adoptedStyleSheets = [sheet];
    expect(getComputedStyle(frame).display).toBe('none');
    document.adoptedStyleSheets = [];

    await mount('https://other-pci.example');
    expect(warmFrames().map((f) => new URL(f.src).origin)).toEqual(['https://pci.example', 'https://other-pci.example']);
  });

  it('loads none for an invitation that cannot be opened, and removes it when none for its origin can be any more', async () => {
    const sent = await mount('https://pci.example');
    expect(warmFrames()).toHaveLength(1);
    sent.state = 'submitted';
    expect(warmFrames()).toHaveLength(0);

    const invalid = await mount('not an origin');
    expect(warmFrames()).toHaveLength(0);
    invalid.remove();

    const first = await mount('https://pci.example');
    const second = await mount('https://pci.example');
    first.remove();
    expect(warmFrames()).toHaveLength(1);
    second.remove();
    expect(warmFrames()).toHaveLength(0);
  });

  it("keeps the warm-up page until the form's own frame has rendered (its first resize), then removes it, and never posts it a message", async () => {
    const el = await mount(location.origin);
    const [warm] = warmFrames() as [HTMLIFrameElement];
    await frameLoad(warm);
    const toWarm = vi.spyOn(warm.contentWindow!, 'postMessage');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    await frameLoad(iframe);
    // Its page has loaded, but not necessarily its scripts: the warm-up page's preload of them may
    // still be on its way, and removing the page would cancel it (the frame then fetches them again).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warm.isConnected).toBe(true);
    // A resize from anything but the form's frame changes nothing.
    const resize = { protocol: FRAME_PROTOCOL, type: 'resize', height: 300 };
    window.dispatchEvent(new MessageEvent('message', { data: resize, origin: location.origin, source: window }));
    expect(warm.isConnected).toBe(true);
    window.dispatchEvent(new MessageEvent('message', { data: resize, origin: location.origin, source: iframe.contentWindow }));
    expect(warm.isConnected).toBe(false);
    expect(toWarm).not.toHaveBeenCalled();
  });
});
