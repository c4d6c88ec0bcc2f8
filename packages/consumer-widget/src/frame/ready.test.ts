/**
 * The frame page's first script (ready.ts) in this test's page, with this page's parent (the test
 * runner's page, same origin) as the host: the frame's URL names it, and its `open` is posted from
 * that window's own realm, so that the message's source is the parent window, as the host's is. The
 * page's modulepreload link names the frame module, as the built page's does.
 */
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import { afterAll, expect, it, vi } from 'vitest';
import { frameStart } from './frame-start.js';

const invitationId = '3f0c6f7e-2a4b-4c8d-9e1f-0a1b2c3d4e5f';
const viewOtk = 'v'.repeat(43);
const fetches = vi.spyOn(window, 'fetch').mockImplementation(() => new Promise<Response>(() => undefined));
const path = location.pathname + location.search;
history.replaceState(null, '', `?site=demo-site&host=${encodeURIComponent(location.origin)}&locale=ar`);
const preload = Object.assign(document.createElement('link'), { rel: 'modulepreload', href: new URL('./frame.ts', import.meta.url).href });
// First in the head, as in the built page (the test runner's page has modulepreload links of its own).
document.head.prepend(preload);
afterAll(() => {
  preload.remove();
  history.replaceState(null, '', path);
  fetches.mockRestore();
});

it("sends the view request as soon as the host's open comes, and runs the rest of the frame only then", async () => {
  const fetchedAt: number[] = [];
  fetches.mockImplementation(() => {
    fetchedAt.push(performance.now());
    return new Promise<Response>(() => undefined);
  });
  await import('./ready.js');
  // Less than the first script waits for `open` before it runs the rest anyway.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(customElements.get('secure-form-frame')).toBeUndefined();

  const parent = window.parent as typeof window;
  const post = new parent.Function('target', 'message', 'origin', 'target.postMessage(message, origin)') as (
    target: Window,
    message: unknown,
    origin: string,
  ) => void;
  post(window, { protocol: FRAME_PROTOCOL, type: 'open', invitationId, viewOtk }, location.origin);
  await customElements.whenDefined('secure-form-frame');
  const definedAt = performance.now();
  expect(fetches).toHaveBeenCalledTimes(1);
  // For the texts of the frame URL's locale only, which the frame module then shows.
  expect(fetches.mock.calls[0]![0]).toBe('/v1/forms/view?locale=ar');
  expect(frameStart().locale).toBe('ar');
  // The request left before the frame module ran (which defines the element).
  expect(fetchedAt[0]).toBeLessThanOrEqual(definedAt);
  // And the frame module took the open from the first script's hand-over.
  expect(frameStart().early).not.toBeNull();
  expect((await frameStart().early)!.open).toEqual({ protocol: FRAME_PROTOCOL, type: 'open', invitationId, viewOtk });
});
