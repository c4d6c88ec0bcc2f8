import { describe, expect, it } from 'vitest';
import { openResults } from './browser.ts';

const series = {
  demo: { cold: [300, 100, 200], warm: [50, 70, 60] },
  floor: { cold: [100, 100, 100], warm: [30, 30, 30] },
  failures: ['run 4: timed out'],
};

describe('open to interactive in results.json', () => {
  it('summarizes each series, divides the medians by the floor’s, and keeps the samples and the runs left out', () => {
    const o = openResults(series, 3);
    expect(Object.keys(o)).toEqual(['runs', 'demo', 'floor', 'ratio', 'samples', 'leftOut']);
    expect(o).toMatchObject({
      runs: 3,
      demo: { cold: { median: 200 }, warm: { median: 60 } },
      ratio: { cold: 2, warm: 2 },
      samples: { demo: { cold: [300, 100, 200] } },
      leftOut: ['run 4: timed out'],
    });
  });
  it('names the emulated network right after the runs', () => {
    const network = { latencyMs: 150, downloadKbps: 1600, uploadKbps: 750 };
    const o = openResults(series, 3, network);
    expect(Object.keys(o).slice(0, 2)).toEqual(['runs', 'network']);
    expect(o.network).toBe(network);
  });
});
