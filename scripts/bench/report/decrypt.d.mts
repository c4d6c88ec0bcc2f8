// Types of decrypt.mjs, for the TypeScript that imports it (sections.test.ts).
import type { ChartSection, Results } from '../report.d.mts';

export function section(results: Results): string[];
export function chart(results: Results): ChartSection[];
