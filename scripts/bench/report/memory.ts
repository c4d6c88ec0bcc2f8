// The server's memory in the bench's reports (scripts/bench/memory.ts measures it): the goal, the
// tables, the chart's bars. Pure: no I/O.
import { type Goal, goal } from '../stats.ts';
import { fmt, mb, table } from '../markdown.ts';
import type { ChartSection, GoalState, HeapUsage, MemoryBreakdown, MemoryResults, Results } from '../results.ts';

const MB = 2 ** 20;

/** This section's goals, with their verdicts. */
export function goals(r: Results): Goal[] {
  const goals: Goal[] = [];
  const m = r.memory;
  if (m) {
    goals.push(
      goal(
        'memory',
        `Server RSS holding ${m.openInvitations.toLocaleString('en')} open invitations and ${m.offTheRecordValues.toLocaleString('en')} off-the-record values`,
        m.rssBytes.withBoth / MB,
        '<',
        150,
        'MB',
      ),
    );
  }
  return goals;
}

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const mem = r.memory;
  if (mem) {
    out.push('');
    out.push('## 6. Server memory');
    out.push('');
    out.push(
      `Resident set of a fresh demo process (one node process: the compiled server through demo/server/start.sh with its memory settings, as \`npm start\` runs it), 2 s after each step, and again after a full garbage collection. ` +
        `Open invitations: sent, not yet answered (filled in ${fmt(mem.fillSeconds?.openInvitations, 0)} s); off-the-record values: forms opened and submitted, not retrieved ` +
        `(filled in ${fmt(mem.fillSeconds?.offTheRecord, 0)} s), the site's off-the-record store sized for them in this run's sites file (the demo site keeps 1,000).`,
    );
    out.push('');
    const rr = mem.rssBytes;
    const heap: Partial<NonNullable<MemoryResults['heapAfterGc']>> = mem.heapAfterGc ?? {};
    const used = (u: HeapUsage | null | undefined) => (u ? mb(u.heapUsed) : '–');
    out.push(
      table(
        ['', 'RSS', 'RSS after a full GC', 'JS heap used after the GC'],
        [
          ['started, agent signed in', mb(rr.baseline), mb(rr.baselineAfterGc), used(heap.baseline)],
          [
            `+ ${fmt(mem.openInvitations)} open invitations`,
            mb(rr.withOpenInvitations),
            mb(rr.withOpenInvitationsAfterGc),
            used(heap.withOpenInvitations),
          ],
          [`+ ${fmt(mem.offTheRecordValues)} off-the-record values`, `**${mb(rr.withBoth)}**`, mb(rr.withBothAfterGc), used(heap.withBoth)],
          ['peak', mb(Math.max(rr.peak ?? 0, rr.baseline, rr.withOpenInvitations, rr.withBoth)), '', ''],
        ],
      ),
    );
    out.push('');
    const heapGrowth = heap.baseline && heap.withBoth ? heap.withBoth.heapUsed - heap.baseline.heapUsed : null;
    out.push(
      `Growth over the baseline: ${mb(rr.withBoth - rr.baseline)} of RSS` +
        (heapGrowth === null ? '.' : `, of which ${mb(heapGrowth)} is JavaScript heap still in use after a full GC.`),
    );
    const parts = [heap.baseline, heap.withOpenInvitations, heap.withBoth].map((u) => u?.breakdown);
    if (parts.some(Boolean)) {
      out.push('');
      out.push(
        'What holds the resident set after each full GC (from the process itself: V8 heap statistics, `process.memoryUsage()`, `/proc/self/status`). ' +
          "The SQLite page cache is an upper bound (its limit, or the database and WAL when smaller), so malloc's share is a lower bound.",
      );
      out.push('');
      const row = (label: string, pick: (b: MemoryBreakdown) => number | null) => [label, ...parts.map((b) => (b ? mb(pick(b)) : '–'))];
      out.push(
        table(
          ['', 'started', '+ open invitations', '+ off-the-record values'],
          [
            row('V8 heap (resident pages)', (b) => b.v8Heap),
            row('external (buffers held by JavaScript)', (b) => b.external),
            row('SQLite page cache (at most)', (b) => b.sqliteCacheAtMost),
            row('malloc arenas and other native memory', (b) => b.mallocAndOther),
            row("node's code and shared libraries (file pages)", (b) => b.codeAndLibraries),
            row('RSS after the GC', (b) => b.rss),
          ],
        ),
      );
      const last = parts.findLast((b) => !!b)!;
      out.push('');
      out.push(`SQLite page cache limit ${mb(last.sqliteCacheLimit)}; database and WAL ${mb(last.databaseBytes)} at the end.`);
    }
  }
  return out;
}

/** This section's parts of the chart; `state(id)` is a goal's colour. */
export function chart(r: Results, state: GoalState): ChartSection[] {
  const sections: ChartSection[] = [];
  if (r.memory) {
    const rr = r.memory.rssBytes;
    sections.push({
      title: 'Server memory, RSS (MB); marker: 150 MB',
      digits: 0,
      rows: [
        { label: 'started', value: rr.baseline / MB, state: 'info' },
        { label: '+ open invitations', value: rr.withOpenInvitations / MB, state: 'info' },
        { label: '+ off-the-record values', value: rr.withBoth / MB, limit: 150, state: state('memory') },
      ],
    });
  }
  return sections;
}
