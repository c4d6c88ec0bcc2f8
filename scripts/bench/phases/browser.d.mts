// Types of browser.mjs's pure part, for the TypeScript that imports it (browser.test.ts).
interface Series {
  demo: { cold: number[]; warm: number[] };
  floor: { cold: number[]; warm: number[] };
  failures: string[];
}
export function openResults(series: Series, runs: number, network?: Record<string, number>): Record<string, unknown>;
export function browserPhases(context: Record<string, unknown>): Promise<void>;
