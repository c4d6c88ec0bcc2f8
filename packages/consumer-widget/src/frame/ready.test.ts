/**
 * The frame page's first script (ready.ts) in this test's page, with this page's parent (the test
 * runner's page, same origin) as the host: the frame's URL names it, and its `open` is posted from
 * that window's own realm, so that the message's source is the parent window, as the host's is.
 */
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import { afterAll, expect, it, vi } from 'vitest';

const invitationId = '3f0c6f7e-2a4b-4c8d-9e1f-0a1b2c3d4e5f';
const viewOtk = 'v'.repeat(43);
const fetches = vi.spyOn(window, 'fetch').mockImplementation(() => new Promise<Response>(() => undefined));
const path = location.pathname + location.search;
history.replaceState(null, '', `?site=demo-site&host=${encodeURIComponent(location.origin)}`);
afterAll(() => {
  history.replaceState(null, '', path);
  fetches.mockRestore();
});

/** When the frame module's request started (the first script loads it with import()), once it has answered. */
const frameModuleStart: number[] = [];
// An observer, not the resource timing buffer: the test runner's own modules may have filled that.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (new URL(entry.name).pathname.endsWith('/frame/frame.ts')) frameModuleStart.push(entry.startTime);
}).observe({ type: 'resource' });

it("sends the view request as soon as the host's open comes, and runs the rest of the frame only then", async () => {
  await import('./ready.js');
  // Less than the first script waits for `open` before it loads the rest anyway.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(customElements.get('secure-form-frame')).toBeUndefined();

  const parent = window.parent as typeof window;
  const post = new parent.Function('target', 'message', 'origin', 'target.postMessage(message, origin)') as (
    target: Window,
    message: unknown,
    origin: string,
  ) => void;
  const openAt = performance.now();
  post(window, { protocol: FRAME_PROTOCOL, type: 'open', invitationId, viewOtk }, location.origin);
  await vi.waitFor(() => expect(fetches).toHaveBeenCalledTimes(1));
  expect(fetches.mock.calls[0]![0]).toBe('/v1/forms/view');
  await customElements.whenDefined('secure-form-frame');
  await vi.waitFor(() => expect(frameModuleStart).toHaveLength(1));
  expect(frameModuleStart[0]).toBeGreaterThanOrEqual(openAt);
});
