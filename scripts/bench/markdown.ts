// The markdown pieces of the bench's reports (results.md, the README's table): numbers, cells, tables.

const MB = 2 ** 20;

export const fmt = (value, digits = 0) =>
  value === null || value === undefined
    ? '–'
    : Number(value).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Milliseconds; autocannon's latencies are whole milliseconds, and 0 means under one. */
export const ms = (value) =>
  value === null || value === undefined ? '–' : value === 0 ? '< 1 ms' : `${fmt(value, Number.isInteger(value) || value >= 10 ? 0 : 1)} ms`;
export const times = (value) => (value === null || value === undefined ? '–' : `${fmt(value, 2)}×`);
export const mb = (bytes) => (bytes === null || bytes === undefined ? '–' : `${fmt(bytes / MB, 1)} MB`);

/** Text for a markdown cell: element names must not turn into HTML, pipes must not end the cell. */
export const cell = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');

/** A markdown table; the first column left-aligned, the others right-aligned unless `left` names them. */
export const table = (head, rows, left = [0]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map((h, i) => (left.includes(i) ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** A table of timings, one row a labelled summary (median, p95, min, max), as stats.ts summarizes them. */
export const summaryTable = (rows) =>
  table(
    ['', 'median', 'p95', 'min', 'max'],
    rows.map(([label, s]) => [label, ms(s.median), ms(s.p95), ms(s.min), ms(s.max)]),
  );
