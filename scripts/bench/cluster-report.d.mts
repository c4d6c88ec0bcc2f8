// Types of cluster-report.mjs, for the TypeScript that imports it (cluster-report.test.ts).
import type { ChartSection, Results } from './report.d.mts';

export function scalingEfficiency(rows: { id: string; roundTripsPerSecond: number | null }[]): number | null;
export function coreFreeForScaling(cluster: Record<string, unknown>): { freeCores: number; free: boolean } | null;
export function clusterTable(cluster: Record<string, unknown>): string[];
export function clusterSection(results: Results): string[];
export function withClusterTable(readme: string, results: Results): string;
export function clusterChartSections(results: Results): ChartSection[];
