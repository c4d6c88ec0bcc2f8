import { describe, expect, it } from 'vitest';
import { roundTripRow } from './round-trips.ts';

describe('a concurrency’s row of round trips', () => {
  it('divides per request by the bare route, and per round trip by the essential-work floor', () => {
    const row = roundTripRow(
      16,
      { requestsPerSecond: 2000, roundTripsPerSecond: 400 },
      { requestsPerSecond: 6000, roundTripsPerSecond: 1200 },
      { requestsPerSecond: 4000, roundTripsPerSecond: 800 },
    );
    expect(row.connections).toBe(16);
    expect(row.overheadRatio).toBe(3);
    expect(row.essentialRatio).toBe(2);
  });
});
