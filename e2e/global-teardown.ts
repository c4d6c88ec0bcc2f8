/**
 * After the end-to-end run: no page broke its Content-Security-Policy. Every document of the demo
 * reports violations to /csp-report, and the server logs each as a `csp violation` line; the
 * webServer's stdout goes to server.log in the run's data directory (playwright.config.ts).
 * Host pages of our own (e2e/widget-support.ts) run with CSP bypassed and report nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const log = join(process.env.E2E_DATA_DIR ?? '', 'server.log');
  if (!existsSync(log)) return;
  // Reports are sent asynchronously: give the last ones a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const violations = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"csp violation"'))
    .map((line) => {
      try {
        const { csp } = JSON.parse(line) as { csp: { directive: string; page: string; blocked: string } };
        return `${csp.directive} on ${csp.page} (${csp.blocked})`;
      } catch {
        return line.slice(0, 200);
      }
    });
  if (violations.length > 0) {
    throw new Error(
      `${violations.length} Content-Security-Policy violation(s) were reported during the end-to-end run:\n${violations.join('\n')}`,
    );
  }
}
