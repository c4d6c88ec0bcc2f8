/**
 * Section 4's account of the backend goals it does not meet: where a round trip's CPU goes (the
 * profiled runs, demo beside the essential-work floor), the p99's queueing floor by Little's law,
 * the garbage collector's pauses, and the goals table's pointers to them.
 */
import { describe, expect, it } from 'vitest';
import { markdownReport } from '../report.ts';
import type { Results } from '../results.ts';
import { gcPausesOf } from '../gc-pauses.ts';
import { sample } from '../results.fixture.ts';
import { CPU_HEADING, LOOP_HEADING, cpuSection, excessOverFloor, loopSection, msPerRoundTrip } from './cpu-profile.ts';
import { QUEUEING_HEADING, queueingFloor, queueingSection } from './queueing.ts';
import { goals } from './round-trips.ts';

const lines = (parts: string[]) => parts.flatMap((part) => part.split('\n'));
const cells = (line: string) => line.split('|').map((c) => c.trim());

describe('where a round trip’s CPU goes', () => {
  const r: Results = sample();
  const { demo, essential } = r.backend!.profile!;

  it("gives a category's CPU per round trip as its share of the busy samples × the run's CPU per round trip", () => {
    expect(msPerRoundTrip(demo, 'sqlite')).toBe(2);
    expect(msPerRoundTrip(essential, 'sqlite')).toBe(0.5);
    expect(msPerRoundTrip(essential, 'logging')).toBe(0);
    expect(msPerRoundTrip(null, 'sqlite')).toBeNull();
  });
  it('names where the demo spends most beyond the floor, largest first', () => {
    const excess = excessOverFloor(demo!, essential).map((e) => [e.id, Number(e.ms.toFixed(2))]);
    expect(excess[0]).toEqual(['sqlite', 1.5]);
    expect(excess.slice(1, 3)).toEqual(
      expect.arrayContaining([
        ['gc', 1],
        ['http', 1],
      ]),
    );
    expect(excess[3]).toEqual(['logging', 0.5]);
  });
  it('tabulates every category for the demo and the floor, largest first, with the totals', () => {
    const table = lines(cpuSection(r)).filter((line) => line.startsWith('| '));
    const sqlite = table.find((line) => line.startsWith('| SQLite'))!;
    expect(cells(sqlite).slice(2, 6)).toEqual(['2.00 ms', '40.0 %', '0.50 ms', '50.0 %']);
    const logging = table.find((line) => line.startsWith('| logging'))!;
    expect(cells(logging).slice(2, 6)).toEqual(['0.50 ms', '10.0 %', '0.00 ms', '0.0 %']);
    expect(table.findIndex((line) => line.startsWith('| SQLite'))).toBeLessThan(table.findIndex((line) => line.startsWith('| logging')));
    expect(table.find((line) => line.includes('**all'))).toContain('**5.00 ms**');
  });
  it('says plainly what the floor is, and lists the top functions', () => {
    const text = cpuSection(r).join('\n');
    expect(text).toContain(CPU_HEADING);
    expect(text).toContain("**The floor:** the round trip's irreducible durable work costs 1.00 ms of CPU per round trip");
    expect(text).toContain('SQLite +1.50 ms');
    expect(text).toContain('| run | demo/server/dist/storage/statement-cache.js:17 | sqlite | 10.0 % | 0.500 ms |');
  });
  it("says how much the CPU goal leaves beyond the floor's work measured at the profiled concurrency", () => {
    const withRow: Results = sample();
    const rows = withRow.backend!.rows;
    rows.push({ ...rows[0]!, connections: 16, essential: { ...rows[0]!.essential!, cpuMsPerRoundTrip: 0.9 } });
    const text = cpuSection(withRow).join('\n');
    expect(text).toContain('(0.90 ms in the measured run;');
    expect(text).toContain('The goal (≤ 1.5 ms) leaves 0.60 ms per round trip for everything beyond that work.');
    rows[2]!.essential!.cpuMsPerRoundTrip = 1.6;
    expect(cpuSection(withRow).join('\n')).toContain('The goal (≤ 1.5 ms) is below the floor itself in this run.');
  });
  it("reports the garbage collector's pauses of both runs", () => {
    const row = lines(loopSection(r)).find((line) => line.startsWith('| demo'))!;
    expect(cells(row).slice(2)).toEqual(['50', '10.0', '12.5 ms', '2', '800 ms', '16.0 %', '']);
    expect(loopSection(r)[1]).toBe(LOOP_HEADING);
  });
  it("reports the garbage collector's pauses of each measured run beside its event-loop delay", () => {
    const measured: Results = sample();
    const at64 = measured.backend!.rows[1]!.demo;
    at64.loopDelayMs = {
      ...at64.loopDelayMs!,
      gc: gcPausesOf([
        [1, 2],
        [1, 3],
        [4, 35],
      ]),
    };
    const row = lines(loopSection(measured)).find((line) => line.startsWith('| 64'))!;
    // 8 s per run: 3 pauses, 40 ms in all.
    expect(cells(row).slice(1, -1)).toEqual([
      '64',
      '19.5 ms',
      '30.0 ms',
      '3',
      '0.4',
      '35.0 ms',
      '1',
      '0.5 %',
      '2 (longest 3.0 ms)',
      '1 (longest 35.0 ms)',
      '–',
    ]);
    expect(goals(measured).find((g) => g.id === 'loop-delay-64')?.see).toBe("§4, *The event loop's long turns*");
  });
  it('writes nothing without a profiled run', () => {
    const { profile: _left, ...backend } = r.backend!;
    expect(cpuSection({ ...r, backend })).toEqual([]);
    expect(loopSection({ ...r, backend })).toEqual([]);
  });
});

describe("the p99's queueing floor", () => {
  it("gives the mean that the throughput implies by Little's law, and the throughput a p99 under 50 ms needs", () => {
    const row = { ...sample().backend.rows[1]!, demo: { ...sample().backend.rows[1]!.demo, requestsPerSecond: 927 } };
    const floor = queueingFloor(row, 4);
    expect(floor.impliedMeanMs).toBeCloseTo(69.04, 2);
    expect(floor.neededRequestsPerSecond).toBe(1280);
    expect(floor.neededRoundTripsPerSecond).toBe(320);
  });
  it('states both beside the measured p99 at concurrency 64', () => {
    const text = queueingSection(sample()).join('\n');
    expect(text).toContain(QUEUEING_HEADING);
    expect(text).toContain('**10.7 ms**');
    expect(text).toContain('**1,280 requests/s** (320 round trips/s)');
    expect(text).toContain('p99: 40 ms');
    expect(text).toContain('(here the mean is below the p99)');
    expect(queueingSection({})).toEqual([]);
  });
});

describe('the goals table', () => {
  it('points a backend goal not met to the part of §4 that explains it', () => {
    const r = sample();
    r.backend.rows[1]!.demo.latencyMs.p99 = 120;
    r.backend.rows[1]!.demo.cpuMsPerRoundTrip = 5;
    r.backend.rows[0]!.demo.cpuMsPerRoundTrip = 5;
    const md = markdownReport(r);
    expect(md).toContain("**not met**: see §4, *The p99's queueing floor*");
    expect(md).toContain("**not met**: see §4, *Where a round trip's CPU goes*");
    // A goal met points nowhere.
    expect(md).not.toContain('met: see');
  });
  it('points the CPU goals to the profile only when there is one', () => {
    const { profile: _left, ...backend } = sample().backend;
    expect(goals({ ...sample(), backend }).find((g) => g.id === 'cpu')?.see).toBeUndefined();
    expect(goals(sample()).find((g) => g.id === 'cpu')?.see).toBe("§4, *Where a round trip's CPU goes*");
  });
});
