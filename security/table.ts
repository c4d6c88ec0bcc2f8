/**
 * The table the suite prints: every check records a row (what it tried, what came back, whether
 * the rule held). Rows travel to the reporter (security/reporter.ts) as a JSON attachment, which
 * is written even when the test fails, so a failure names its sink or case in the table too.
 */
import { expect, test as base } from '@playwright/test';

export const GROUPS = [
  'Frames',
  'CSP',
  'OTK abuse',
  'Brute force',
  'Sign-in',
  'Key custody',
  'Network edge',
  'Floods',
  'Audit log',
  'Envelopes',
  'Integration',
  'Sinks',
  'Load',
  'Faults',
  'End of run',
] as const;
export type Group = (typeof GROUPS)[number];

/**
 * The rows of docs/never-list.md each group's checks prove, printed beside the group in the
 * table. Groups that guard other properties (sign-in, limits, load) prove none; rows 4 and 5 are
 * proved outside this suite (see the never-list).
 */
export const NEVER_LIST_ROWS: Readonly<Record<Group, readonly number[]>> = {
  Frames: [1],
  CSP: [1],
  'OTK abuse': [3],
  'Brute force': [3],
  'Sign-in': [],
  'Key custody': [],
  'Network edge': [],
  Floods: [],
  'Audit log': [],
  Envelopes: [1, 2],
  Integration: [],
  Sinks: [1, 2],
  Load: [],
  Faults: [2],
  'End of run': [1, 2],
};

export interface Row {
  group: Group;
  /** The sink, case, fault or measure. */
  name: string;
  /** What was tried. */
  tried: string;
  /** What came back. */
  result: string;
  held: boolean;
}

export const ATTACHMENT = 'security-table';

export class Table {
  readonly rows: Row[] = [];

  /** Record a row; returns whether it held. */
  add(group: Group, name: string, tried: string, result: string, held: boolean): boolean {
    this.rows.push({ group, name, tried, result, held });
    return held;
  }

  /** The rows that did not hold, as "group › name: result". */
  failures(): string[] {
    return this.rows.filter((r) => !r.held).map((r) => `${r.group} › ${r.name}: ${r.result}`);
  }

  /** Fail the test naming every row that did not hold. */
  expectAllHeld(): void {
    const failed = this.failures();
    expect(failed, `did not hold:\n${failed.join('\n')}`).toEqual([]);
  }
}

export const test = base.extend<{ table: Table }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
  table: async ({}, use, testInfo) => {
    const table = new Table();
    await use(table);
    await testInfo.attach(ATTACHMENT, { body: JSON.stringify(table.rows), contentType: 'application/json' });
  },
});

export { expect };
