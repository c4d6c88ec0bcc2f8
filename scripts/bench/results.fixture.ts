// A results object for the report's tests (bench.test.ts, report/sections.test.ts).
import { CATEGORIES, type CategoryId } from './profile/rules.ts';

/** A results object as scripts/bench.ts writes it, trimmed to what the report reads. */
export function sample() {
  const s = (median: number, p95 = median * 1.5) => ({ n: 20, min: median / 2, median, p95, p99: p95, max: p95, mean: median });
  const figures = (rps: number, p99: number) => ({
    requestsPerSecond: rps,
    roundTripsPerSecond: rps / 4,
    latencyMs: { p50: 1, p90: 2, p99, max: p99, mean: 1 },
    roundTripMs: s(5),
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    failures: {},
  });
  /** A profiled run of 1,000 round trips at `cpu` ms each, its busy time shared as `shares` says. */
  const profiled = (cpu: number, shares: [CategoryId, number][]) => ({
    roundTrips: 1000,
    roundTripsPerSecond: 200,
    cpuMs: cpu * 1000,
    cpuMsPerRoundTrip: cpu,
    profile: {
      threads: 1,
      samples: 4000,
      busyMs: 4000,
      categories: shares.map(([id, share]) => ({ id, label: CATEGORIES[id], ms: share * 4000, share })),
      top: [{ name: 'run', where: 'demo/server/dist/storage/statement-cache.js:17', category: 'sqlite' as const, ms: 400, share: 0.1 }],
      gcPauses: { count: 50, totalMs: 800, longestMs: 12.5, atLeast10Ms: 2 },
    },
  });
  return {
    generatedAt: '2026-11-29T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'Linux', loadAverage: { start: 1, end: 2 } },
    sizes: {
      bundles: [
        {
          id: 'loader',
          name: 'host-page script (loader + <secure-form-invite>)',
          budget: 10240,
          min: 20000,
          gzip: 9000,
          brotli: 8000,
          englishOnly: { min: 19000, gzip: 7000, brotli: 6000 },
        },
        {
          id: 'frame',
          name: 'form frame',
          budget: 30720,
          min: 100000,
          gzip: 38000,
          brotli: 34000,
          englishOnly: { min: 90000, gzip: 35000, brotli: 31000 },
        },
      ],
      floor: { id: 'floor', name: 'floor', min: 15000, gzip: 5000, brotli: 4500, englishOnly: { min: 15000, gzip: 5000, brotli: 4500 } },
    },
    openToInteractive: {
      runs: 20,
      demo: { cold: s(600), warm: s(200) },
      floor: { cold: s(200), warm: s(100) },
      ratio: { cold: 3, warm: 2 },
    },
    openToInteractiveSlow: {
      runs: 8,
      network: { latencyMs: 150, downloadKbps: 1600, uploadKbps: 750 },
      demo: { cold: s(1500), warm: s(600) },
      floor: { cold: s(1000), warm: s(400) },
      ratio: { cold: 1.5, warm: 2.5 },
      steps: {
        runs: 3,
        cold: [
          { step: 'frame HTML response end', ms: 160 },
          { step: 'frame got /frame/assets/index.js (cache)', ms: 215 },
          { step: 'view request start', ms: 228 },
          { step: 'frame got /v1/invitations/:id/view', ms: 400 },
          { step: 'first field focusable', ms: 410 },
          { step: 'frame long tasks (ms)', ms: 0 },
        ],
        warm: [
          { step: 'frame HTML response end', ms: 168 },
          { step: 'first field focusable', ms: 365 },
        ],
      },
    },
    submitToRevealed: { runs: 20, summary: s(300) },
    backend: {
      autocannon: '9.0.0',
      durationSeconds: 8,
      stepsPerRoundTrip: 4,
      steps: ['create', 'view', 'submit', 'retrieve'],
      rows: [
        {
          connections: 1,
          demo: { ...figures(500, 10), cpuMsPerRoundTrip: 4.4, loopDelayMs: { p50: 10, p99: 11, max: 12, mean: 10 } },
          bare: figures(5000, 1),
          essential: { ...figures(1500, 1), cpuMsPerRoundTrip: 1.25 },
          overheadRatio: 10,
          essentialRatio: 3,
        },
        {
          connections: 64,
          demo: { ...figures(6000, 40), cpuMsPerRoundTrip: 1.4, loopDelayMs: { p50: 10, p99: 19.5, max: 30, mean: 11 } },
          bare: figures(9000, 20),
          essential: figures(9000, 20),
          overheadRatio: 1.5,
          essentialRatio: 1.5,
        },
      ],
      profile: {
        connections: 16,
        durationSeconds: 5,
        intervalUs: 1000,
        demo: profiled(5, [
          ['sqlite', 0.4],
          ['http', 0.3],
          ['gc', 0.2],
          ['logging', 0.1],
        ]),
        essential: profiled(1, [
          ['http', 0.5],
          ['sqlite', 0.5],
        ]),
      },
    },
    decrypt: { warmup: 20, summary: s(1.2) },
    memory: {
      openInvitations: 10000,
      offTheRecordValues: 10000,
      fillSeconds: { openInvitations: 10, offTheRecord: 40 },
      rssBytes: {
        baseline: 100 * 2 ** 20,
        baselineAfterGc: 99 * 2 ** 20,
        withOpenInvitations: 120 * 2 ** 20,
        withOpenInvitationsAfterGc: 118 * 2 ** 20,
        withBoth: 160 * 2 ** 20,
        withBothAfterGc: 150 * 2 ** 20,
        peak: 170 * 2 ** 20,
      },
    },
  };
}
