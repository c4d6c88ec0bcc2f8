// The markdown pieces of the bench's reports (results.md, the README's table): numbers, cells, tables.

import type { Summary } from './stats.ts';

const MB = 2 ** 20;

/** A number in English notation with `digits` decimals; '–' when missing. */
export const fmt = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? '–'
    : Number(value).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Milliseconds; autocannon's latencies are whole milliseconds, and 0 means under one. */
export const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : value === 0 ? '< 1 ms' : `${fmt(value, Number.isInteger(value) || value >= 10 ? 0 : 1)} ms`;
/** A ratio, as `1.50×`. */
export const times = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${fmt(value, 2)}×`);
/** Bytes as MB (2^20) with one decimal. */
export const mb = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? '–' : `${fmt(bytes / MB, 1)} MB`);

/** Text for a markdown cell: element names must not turn into HTML, pipes must not end the cell. */
export const cell = (text: string): string =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');

/** A markdown table; the first column left-aligned, the others right-aligned unless `left` names them. */
export const table = (head: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = [0]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map((h, i) => (left.includes(i) ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** A table of timings, one row a labelled summary (median, p95, min, max), as stats.ts summarizes them. */
export const summaryTable = (rows: readonly (readonly [string, Summary])[]): string =>
  table(
    ['', 'median', 'p95', 'min', 'max'],
    rows.map(([label, s]) => [label, ms(s.median), ms(s.p95), ms(s.min), ms(s.max)]),
  );
