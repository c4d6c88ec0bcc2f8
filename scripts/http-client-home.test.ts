/**
 * One HTTP client: the packages and the demo pages call the API through shared's `requestJson`
 * (http.ts) and `followEventStream` (event-stream.ts), which both read answers with `readJson`.
 * `fetch` itself is called there, and in the two requests that keep their own for bytes, each
 * still read by `readJson`: the loader's open request (open-request.ts: the brand's page carries no
 * zod) and the frame's keyed POSTs (view-request.ts: started by the frame's first script).
 */
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

const FETCHES = [
  'packages/shared/src/http.ts',
  'packages/shared/src/event-stream.ts',
  'packages/consumer-widget/src/components/secure-form-invite/open-request.ts',
  'packages/consumer-widget/src/frame/view-request.ts',
];

const sources = trackedFiles('packages/*/src/*.ts', 'demo/pages/*.ts').filter(isProductionSource);

describe('the one HTTP client', () => {
  it('is the only caller of fetch in the packages and the demo pages, beside the two byte-saving requests', () => {
    expect(sources.length).toBeGreaterThan(0);
    const callers = sources.filter((f) => /(?<![\w.])fetch\(/.test(readRepoFile(f)));
    expect(callers.sort()).toEqual([...FETCHES].sort());
  });

  it('reads every answer of those byte-saving requests with shared readJson', () => {
    for (const file of [
      'packages/consumer-widget/src/components/secure-form-invite/open-request.ts',
      'packages/consumer-widget/src/frame/requests.ts',
    ])
      expect(readRepoFile(file)).toMatch(/\breadJson\(/);
  });
});
