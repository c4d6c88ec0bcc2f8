/**
 * One HTTP client: the packages and the demo pages call the API through shared's `requestJson`
 * (http.ts) and `followEventStream` (event-stream.ts), which both read answers with `readJson`.
 * `fetch` itself is called there, and in the frame's own POSTs, which keep their own for bytes and
 * are still read by `readJson` (post.ts: the frame's first script makes the view request with it,
 * and hands it to the frame module for the submit and extend requests). The loader
 * (the script a brand's page carries) calls no API at all: the frame opens the form.
 */
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

const FETCHES = ['packages/shared/src/http.ts', 'packages/shared/src/event-stream.ts', 'packages/consumer-widget/src/frame/post.ts'];

const sources = trackedFiles('packages/*/src/*.ts', 'demo/pages/*.ts').filter(isProductionSource);

describe('the one HTTP client', () => {
  it("is the only caller of fetch in the packages and the demo pages, beside the frame's byte-saving requests", () => {
    expect(sources.length).toBeGreaterThan(0);
    const callers = sources.filter((f) => /(?<![\w.])fetch\(/.test(readRepoFile(f)));
    expect(callers.sort()).toEqual([...FETCHES].sort());
  });

  it('reads every answer of those byte-saving requests with shared readJson', () => {
    expect(readRepoFile('packages/consumer-widget/src/frame/requests.ts')).toMatch(/\breadJson\(/);
  });
});
