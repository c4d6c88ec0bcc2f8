// The several-instance figures in the bench's reports: results.md's section and the README's table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterSection, coreFreeForScaling, scalingEfficiency, withClusterTable } from './cluster-report.ts';
import { chartSections, markdownReport } from './report.ts';

const ROOT = join(import.meta.dirname, '../..');

function row(id: string, label: string, instances: number, roundTripsPerSecond: number) {
  return {
    id,
    label,
    engines: id === 'sqlite-1' ? 'sqlite' : 'postgres+redis',
    instances,
    connections: 16,
    roundTripsPerSecond,
    requestsPerSecond: roundTripsPerSecond * 5,
    latencyMs: { p50: 5, p90: 9, p99: 20, max: 40, mean: 6 },
    cpuMsPerRoundTrip: {
      node: 4,
      postgres: id === 'sqlite-1' ? 0 : 1.5,
      redis: id === 'sqlite-1' ? 0 : 0.3,
      proxy: id === 'sqlite-1' ? 0 : 0.8,
      total: 6.6,
    },
    rssBytesPerInstance: Array.from({ length: instances }, () => 80 * 2 ** 20),
    errors: 0,
    failures: {},
  };
}

const cluster = {
  connections: 16,
  durationSeconds: 8,
  rows: [
    row('sqlite-1', 'SQLite, one process', 1, 300),
    row('pg-1', 'PostgreSQL + Redis, 1 instance', 1, 200),
    row('pg-2', 'PostgreSQL + Redis, 2 instances', 2, 300),
    row('pg-4', 'PostgreSQL + Redis, 4 instances', 4, 320),
  ],
  scalingEfficiency: { oneToTwo: 0.75 },
};

describe('several instances in the bench', () => {
  it('takes the scaling efficiency from 1 to 2 instances as round trips/s with 2 ÷ twice those with 1', () => {
    expect(scalingEfficiency(cluster.rows)).toBe(0.75);
    expect(scalingEfficiency(cluster.rows.slice(0, 2))).toBeNull();
  });

  it('reports each configuration: round trips/s, p99, CPU per round trip of each process, memory per instance', () => {
    const md = markdownReport({ generatedAt: 'x', machine: {}, cluster });
    expect(md).toContain('## 7. Several instances');
    for (const label of cluster.rows.map((r) => r.label)) expect(md).toContain(`| ${label} |`);
    expect(md).toContain(
      '| PostgreSQL + Redis, 2 instances | **300.0** | 20 ms | 4.00 ms | 1.50 ms | 0.30 ms | 0.80 ms | 6.60 ms | 80.0 MB | 0 |',
    );
    expect(md).toContain('Scaling efficiency from 1 to 2 instances: **0.75**');
    expect(clusterSection({})).toEqual([]);
  });

  it('says beside the scaling efficiency whether a core was free for the second instance (the whole machine, every process on it)', () => {
    const withCores = (busy: number[]) => ({
      ...cluster,
      cpus: 2,
      rows: cluster.rows.map((r, i) => ({ ...r, cores: { machine: busy[i]!, measured: busy[i]! - 0.1, loadGenerator: 0.3 } })),
    });
    // 1.9 of 2 cores busy while one instance ran: no core for a second one, the goal does not apply.
    const busy = withCores([1.2, 1.9, 2, 2]);
    expect(coreFreeForScaling(busy)).toEqual({ freeCores: 0.1, free: false });
    const md = markdownReport({ generatedAt: 'x', machine: { cpus: 2 }, cluster: busy });
    expect(md).toContain('Scaling efficiency from 1 to 2 instances: **0.75**');
    expect(md).toContain('cores busy on the machine with 1 instance: 1.90 of 2 (0.10 free), with 2: 2.00');
    expect(md).toContain('no core was free for the second instance: the ≥ 80 % goal does not apply to this run');
    // 0.8 of 4 busy: three cores free, the goal applies.
    const idle = { ...withCores([0.5, 0.8, 1.5, 2.5]), cpus: 4 };
    expect(coreFreeForScaling(idle)).toEqual({ freeCores: 3.2, free: true });
    expect(markdownReport({ generatedAt: 'x', machine: { cpus: 4 }, cluster: idle })).toContain(
      'a core was free for the second instance: the ≥ 80 % goal applies',
    );
    // Results from before the cores were measured: no verdict, the line as it was.
    expect(coreFreeForScaling(cluster)).toBeNull();
    expect(markdownReport({ generatedAt: 'x', machine: {}, cluster })).not.toContain('cores busy');
  });

  it('charts the round trips per second of each configuration', () => {
    const section = chartSections({ cluster }).find((s) => s.title.startsWith('Several instances'));
    expect(section?.rows.map((r) => [r.label, r.value])).toEqual(cluster.rows.map((r) => [r.label, r.roundTripsPerSecond]));
  });

  it("is the README's table, rendered from bench/results.json (run `npm run bench -- --render` when this fails)", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as Record<string, unknown>;
    expect(readme).toContain('<!-- bench: several instances -->');
    // The bench writes the README through Prettier, as the repository keeps it.
    const prettier = await import('prettier');
    const file = join(ROOT, 'README.md');
    expect(await prettier.format(withClusterTable(readme, results), { ...(await prettier.resolveConfig(file)), parser: 'markdown' })).toBe(
      readme,
    );
  });
});
