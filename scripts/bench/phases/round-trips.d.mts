// Types of round-trips.mjs's pure part, for the TypeScript that imports it (round-trips.test.ts).
interface Figures {
  requestsPerSecond: number;
  roundTripsPerSecond: number;
}
export function roundTripRow<F extends Figures>(
  connections: number,
  demo: F,
  bare: F,
  essential: F,
): { connections: number; demo: F; bare: F; essential: F; overheadRatio: number | null; essentialRatio: number | null };
export function measureRoundTrips(context: Record<string, unknown>): Promise<Record<string, unknown>>;
