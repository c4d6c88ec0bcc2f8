/**
 * Never-list rows 1 and 2 (docs/never-list.md), at the end of the run, after every other spec
 * (the load, the faults and the attacks): the files the server wrote are scanned for the canaries once more (the SQLite database and WAL after a SIGKILL
 * and restarts, the audit log, stdout and stderr), and no page broke its content security policy at
 * any time in the run: no violation seen in any browser context that was not a probe or an attack,
 * and no report reached the server beyond those the probes and attacks of 01-frames-csp caused.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Violation } from './browser.js';
import { VIOLATIONS_FILE } from './env.js';
import { cspReports, serverStderr, serverStdout } from './logs.js';
import { dataDirSinks, scan, serverSinks } from './sinks.js';
import { readState } from './state.js';
import { test } from './table.js';

test('End of run: no canary in the files the server wrote, no CSP violation outside the probes, no server error', async ({ table }) => {
  scan(table, 'End of run', [...dataDirSinks(), ...serverSinks()]);

  const violations = existsSync(VIOLATIONS_FILE)
    ? readFileSync(VIOLATIONS_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Violation)
    : [];
  const unexpected = violations.filter((v) => !v.expected);
  table.add(
    'CSP',
    'zero violations in the run (browser)',
    'every page and frame of every context in the run, probes and attacks aside',
    unexpected.length
      ? `${unexpected.length}: ${unexpected
          .slice(0, 3)
          .map((v) => `${v.context}: ${v.text}`)
          .join('; ')}`
      : `none (${violations.length} caused on purpose by probes and attacks)`,
    unexpected.length === 0,
  );

  const expected = Number(readState().cspReportsExpected ?? 0);
  const reports = cspReports();
  const extra = reports.slice(expected);
  table.add(
    'CSP',
    'zero violations in the run (server reports)',
    '/csp-report on both origins, after the probes and attacks',
    extra.length
      ? `${extra.length}: ${extra
          .slice(0, 3)
          .map((r) => `${r.directive} on ${r.page} (${r.blocked})`)
          .join('; ')}`
      : `none (${expected} caused on purpose)`,
    extra.length === 0,
  );

  // 5xx: only deliberate 503 refusals (each with Retry-After: the database-lock fault's "busy"
  // answers and the password-hashing cap of the sign-in flood); never a 500, never an unhandled error.
  const lines = serverStdout().split('\n');
  const unhandled = lines.filter((l) => l.includes('"unhandled error"')).length;
  const failed = lines.filter((l) => /"status":5\d\d/.test(l));
  const refusals = failed.filter((l) => l.includes('"status":503'));
  const busy = lines.filter((l) => l.includes('"database busy"')).length;
  const stderr = serverStderr()
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('is locked by another process'));
  table.add(
    'End of run',
    'server errors',
    'server stdout and stderr over the whole run',
    `${failed.length} 5xx answers: ${refusals.length} deliberate 503 refusals (${busy} "database busy"), ${failed.length - refusals.length} others; ${unhandled} unhandled errors, ${stderr.length} lines on stderr${stderr.length ? `: ${stderr[0]!.slice(0, 80)}` : ''}`,
    unhandled === 0 && failed.length === refusals.length && stderr.length === 0,
  );
  table.expectAllHeld();
});
