// The decrypt time in the bench's reports (scripts/bench/browser.ts measures it): the table and the
// chart's bars; no goal. Pure: no I/O.
import { summaryTable } from '../markdown.ts';
import type { ChartSection, Results } from '../results.ts';

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const d = r.decrypt;
  if (d) {
    out.push('');
    out.push('## 5. Decrypt time per form in Chromium');
    out.push('');
    out.push(
      `The envelope code of packages/shared (jose on WebCrypto) opening both parts of one card-form submission (on the record: card number and postcode, ` +
        `sealed to the panel's key and the history key; off the record: the CVV), ${d.summary.n} times after ${d.warmup} untimed.`,
    );
    out.push('');
    out.push(summaryTable([['decrypt one form', d.summary]]));
  }
  return out;
}

/** This section's parts of the chart. */
export function chart(r: Results): ChartSection[] {
  const sections: ChartSection[] = [];
  if (r.decrypt) {
    sections.push({
      title: 'Decrypt one form in Chromium (ms)',
      digits: 2,
      rows: [
        { label: 'median', value: r.decrypt.summary.median, state: 'info' },
        { label: 'p95', value: r.decrypt.summary.p95, state: 'info' },
      ],
    });
  }
  return sections;
}
