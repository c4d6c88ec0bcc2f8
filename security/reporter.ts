/**
 * Prints the security suite's table at the end of the run: sinks scanned and hits, abuse cases
 * tried and refused, round trips and failures under load, faults injected and outcomes. Rows come
 * from each test's `security-table` attachment (security/table.ts); a test that failed before it
 * recorded anything still gets a row naming it.
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { ATTACHMENT, GROUPS, NEVER_LIST_ROWS, type Row } from './table.js';

const WIDTHS = { name: 34, tried: 46, result: 46 };

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (word.length > width) {
        if (line) lines.push(line);
        line = '';
        lines.push(word.slice(0, width));
        word = word.slice(width);
      }
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = '';
      }
      line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

function table(rows: Row[]): string {
  const out: string[] = [];
  const rule = `+${'-'.repeat(WIDTHS.name + 2)}+${'-'.repeat(WIDTHS.tried + 2)}+${'-'.repeat(WIDTHS.result + 2)}+------+`;
  const line = (a: string, b: string, c: string, d: string) =>
    `| ${a.padEnd(WIDTHS.name)} | ${b.padEnd(WIDTHS.tried)} | ${c.padEnd(WIDTHS.result)} | ${d.padEnd(4)} |`;
  for (const group of GROUPS) {
    const inGroup = rows.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    const held = inGroup.filter((r) => r.held).length;
    const proves = NEVER_LIST_ROWS[group].length > 0 ? ` (never-list rows ${NEVER_LIST_ROWS[group].join(', ')})` : '';
    out.push('', `${group}: ${held} of ${inGroup.length} held${proves}`, rule, line('Check', 'Tried', 'Result', 'Held'), rule);
    for (const r of inGroup) {
      const a = wrap(r.name, WIDTHS.name);
      const b = wrap(r.tried, WIDTHS.tried);
      const c = wrap(r.result, WIDTHS.result);
      const n = Math.max(a.length, b.length, c.length);
      for (let i = 0; i < n; i++) out.push(line(a[i] ?? '', b[i] ?? '', c[i] ?? '', i === 0 ? (r.held ? 'yes' : 'NO') : ''));
    }
    out.push(rule);
  }
  return out.join('\n');
}

export default class SecurityTableReporter implements Reporter {
  private readonly rows: Row[] = [];
  private readonly broken: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const attachment = result.attachments.find((a) => a.name === ATTACHMENT && a.body);
    const rows = attachment?.body ? (JSON.parse(attachment.body.toString('utf8')) as Row[]) : [];
    this.rows.push(...rows);
    if (result.status !== 'passed' && result.status !== 'skipped') {
      const reason = (result.error?.message ?? result.status).split('\n').find((l) => l.trim() !== '') ?? result.status;
      // eslint-disable-next-line no-control-regex
      this.broken.push(`${test.title}: ${reason.replace(/\u001b\[[0-9;]*m/g, '')}`);
    }
  }

  onEnd(result: FullResult): void {
    const held = this.rows.filter((r) => r.held).length;
    const lines = [
      '',
      'Security and reliability suite: what was tried and what held',
      table(this.rows),
      '',
      `${held} of ${this.rows.length} checks held; run ${result.status}.`,
      ...(this.broken.length > 0 ? ['Tests that failed:', ...this.broken.map((b) => `  - ${b}`)] : []),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
