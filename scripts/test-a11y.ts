// `npm run test:a11y`: build, run the accessibility specs (playwright.a11y.config.ts) against a
// demo of their own, and print where the HTML report is. Exits as Playwright does.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reportDir = resolve(root, process.env.A11Y_REPORT_DIR ?? 'a11y-report');
const run = (command: string, args: string[]): number =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, A11Y_REPORT_DIR: reportDir } }).status ?? 1;

if (!process.argv.includes('--no-build') && run('npm', ['run', 'build']) !== 0) process.exit(1);
const status = run('npx', [
  'playwright',
  'test',
  '-c',
  'playwright.a11y.config.ts',
  ...process.argv.slice(2).filter((a) => a !== '--no-build'),
]);
console.log(`\nAccessibility report: ${reportDir}/index.html (open it with: npx playwright show-report ${reportDir})`);
process.exit(status);
