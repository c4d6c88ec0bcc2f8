// Submit to revealed in the bench's reports (scripts/bench/browser.ts measures it): the table and the
// chart's bars; no goal. Pure: no I/O.
import { summaryTable } from '../markdown.ts';
import type { ChartSection, Results } from '../results.ts';

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const s = r.submitToRevealed;
  if (s) {
    out.push('');
    out.push('## 3. Submit to revealed');
    out.push('');
    out.push(
      `From the visitor's click on "Send securely" in the frame to the agent's panel showing "Reveal Card number" for that submission, ${s.runs} runs: ` +
        "the frame seals and submits, the backend stores and tells the agent's event stream, the panel retrieves, decrypts and renders.",
    );
    out.push('');
    out.push(summaryTable([['submit to revealable', s.summary]]));
  }
  return out;
}

/** This section's parts of the chart. */
export function chart(r: Results): ChartSection[] {
  const sections: ChartSection[] = [];
  if (r.submitToRevealed) {
    sections.push({
      title: 'Submit to revealed (ms)',
      digits: 0,
      rows: [
        { label: 'median', value: r.submitToRevealed.summary.median, state: 'info' },
        { label: 'p95', value: r.submitToRevealed.summary.p95, state: 'info' },
      ],
    });
  }
  return sections;
}
