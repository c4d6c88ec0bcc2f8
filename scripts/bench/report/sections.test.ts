/**
 * Each measurement's part of the reports on its own: nothing at all when the measurement was not
 * taken; when it was, a results.md section that begins with an empty line and its heading, and
 * chart rows whose colour follows the goal's verdict. The whole report: bench.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sample } from '../results.fixture.ts';
import * as decrypt from './decrypt.ts';
import * as memory from './memory.ts';
import * as openToInteractive from './open-to-interactive.ts';
import * as roundTrips from './round-trips.ts';
import * as sizes from './sizes.ts';
import * as submitToRevealed from './submit-to-revealed.ts';

const measurements = {
  '## 1. Bundle sizes': sizes,
  '## 2. Open to interactive': openToInteractive,
  '## 3. Submit to revealed': submitToRevealed,
  '## 4. Backend round trips': roundTrips,
  '## 5. Decrypt time per form in Chromium': decrypt,
  '## 6. Server memory': memory,
};

describe('each section of the report', () => {
  it('writes nothing, draws nothing and sets no goal for a measurement not taken', () => {
    for (const measurement of Object.values(measurements)) {
      expect(measurement.section({})).toEqual([]);
      expect(measurement.chart({}, () => 'info')).toEqual([]);
      if ('goals' in measurement) expect(measurement.goals({})).toEqual([]);
    }
  });
  it('begins with an empty line and its numbered heading', () => {
    for (const [heading, measurement] of Object.entries(measurements)) {
      expect(measurement.section(sample()).slice(0, 2)).toEqual(['', heading]);
    }
  });
  it('colours a row with a goal by that goal’s verdict', () => {
    const [section] = memory.chart(sample(), (id) => (id === 'memory' ? 'not met' : 'met'));
    expect(section?.rows.map((row) => row.state)).toEqual(['info', 'info', 'not met']);
  });
  it('gives the open times on a slow network their own subsection and goals', () => {
    expect(openToInteractive.section(sample())).toContain('### Open to interactive on a slow network');
    expect(openToInteractive.goals(sample()).map((g) => g.id)).toEqual(['open-cold', 'open-warm', 'open-cold-slow', 'open-warm-slow']);
  });
});
