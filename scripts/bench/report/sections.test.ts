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
  it("shows the essential-work floor's CPU per round trip beside the demo's, and a dash where it was not measured", () => {
    const lines = roundTrips.section(sample()).flatMap((part) => part.split('\n'));
    const header = lines.find((line) => line.startsWith('| concurrency'))!;
    const cells = (line: string) => line.split('|').map((cell) => cell.trim());
    const column = cells(header).indexOf('essential CPU per round trip');
    expect(column).toBeGreaterThan(cells(header).indexOf('server CPU per round trip'));
    const rows = lines.filter((line) => /^\| (1|64) *\|/.test(line)).map((line) => cells(line)[column]);
    expect(rows).toEqual(['1.25 ms', '–']);
  });
  it('describes the round trip as the frame makes it: four requests, the form opened with the token in its header', () => {
    const text = roundTrips.section(sample()).join('\n');
    expect(text).toContain('One round trip = 4 requests: create the invitation, open the form (`POST /v1/invitations/:iid/view?locale=en`');
    expect(text).toContain('the same four requests (methods, headers, body sizes)');
    expect(text).toContain('count the open with its submit key');
    expect(text).not.toMatch(/five|view key|three one-time keys|do not compare/);
    expect(roundTrips.chart(sample(), () => 'info')[0]?.title).toMatch(/÷ 4$/);
  });
  it('describes the results of a five-request round trip as measured then, and says they do not compare', () => {
    for (const steps of [['create', 'open', 'view', 'submit', 'retrieve'], undefined]) {
      const r = sample();
      const backend = { ...r.backend, stepsPerRoundTrip: 5, steps };
      const text = roundTrips.section({ ...r, backend }).join('\n');
      expect(text).toContain('One round trip = 5 requests: create the invitation, open (the conversation token for a view key), view');
      expect(text).toContain('the same five requests');
      expect(text).toContain('three one-time keys');
      expect(text).toContain('its figures do not compare with those of the four-request round trip');
      expect(roundTrips.chart({ ...r, backend }, () => 'info')[0]?.title).toMatch(/÷ 5$/);
    }
  });
  it("shows where a slow open's time goes: each step's median, and the two round trips' cost alone against the floor", () => {
    const text = openToInteractive.section(sample()).join('\n');
    expect(text).toContain("#### Where a slow open's time goes");
    expect(text).toContain('| frame got /frame/assets/index.js (cache) | 215.0 |');
    // Cold: the page (160 ms) and the view request (228 to 400: 172 ms) against the floor's 1,000 ms median.
    expect(text).toContain('332 ms together, 0.33× the floor');
    expect(text).toContain('68 ms went to the frame');
    // Warm: without the view request's steps, no such sum.
    expect(text).not.toMatch(/\*\*Second open \(warm\)\.\*\* Here/);
  });
  it('gives the open times on a slow network their own subsection and goals', () => {
    expect(openToInteractive.section(sample())).toContain('### Open to interactive on a slow network');
    expect(openToInteractive.goals(sample()).map((g) => g.id)).toEqual(['open-cold', 'open-warm', 'open-cold-slow', 'open-warm-slow']);
  });
});
