/** What the demo server wrote: its stdout (pino JSON lines) and stderr, and the CSP reports in them. */
import { existsSync, readFileSync } from 'node:fs';
import { SERVER_STDERR, SERVER_STDOUT } from './env.js';

export function serverStdout(): string {
  return existsSync(SERVER_STDOUT) ? readFileSync(SERVER_STDOUT, 'utf8') : '';
}

export function serverStderr(): string {
  return existsSync(SERVER_STDERR) ? readFileSync(SERVER_STDERR, 'utf8') : '';
}

export interface CspReport {
  directive: string;
  page: string;
  blocked: string;
}

/** Every CSP violation report the server received (both origins), in order. */
export function cspReports(): CspReport[] {
  const out: CspReport[] = [];
  for (const line of serverStdout().split('\n')) {
    if (!line.includes('"csp violation"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; csp?: CspReport };
      if (entry.msg === 'csp violation' && entry.csp) out.push(entry.csp);
    } catch {
      // not a JSON line
    }
  }
  return out;
}

/** Wait until the server has received at least `count` reports and no more arrive for a moment. */
export async function settledReports(count: number, timeoutMs = 10_000): Promise<CspReport[]> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const reports = cspReports();
    if (reports.length !== last) {
      last = reports.length;
      stableSince = Date.now();
    }
    if ((reports.length >= count && Date.now() - stableSince >= 1000) || Date.now() > deadline) return reports;
    await new Promise((r) => setTimeout(r, 100));
  }
}
