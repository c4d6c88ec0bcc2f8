/** The garbage collector's pauses during a load run, in all and per kind of collection. */
import { describe, expect, it } from 'vitest';
import { gcPausesOf } from './gc-pauses.ts';

describe("the garbage collector's pauses", () => {
  it('counts them, adds them up and finds the longest, in all and per kind', () => {
    const pauses = gcPausesOf([
      [1, 1.5],
      [1, 2.25],
      [4, 12],
      [8, 0.5],
    ]);
    expect(pauses).toEqual({
      count: 4,
      totalMs: 16.25,
      longestMs: 12,
      atLeast10Ms: 1,
      byKind: {
        minor: { count: 2, totalMs: 3.75, longestMs: 2.25 },
        major: { count: 1, totalMs: 12, longestMs: 12 },
        incremental: { count: 1, totalMs: 0.5, longestMs: 0.5 },
      },
    });
  });
  it('is all zeros for none', () => {
    expect(gcPausesOf([])).toEqual({ count: 0, totalMs: 0, longestMs: 0, atLeast10Ms: 0, byKind: {} });
  });
});
