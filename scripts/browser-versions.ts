/**
 * The browsers the tests run in and their versions, as installed on this machine: printed by
 * scripts/ensure-browsers.ts before each run, and written into the README's support table by
 *
 *   node --import tsx scripts/browser-versions.ts --write    (npm run docs:browsers)
 *
 * which replaces what is between `<!-- browsers:start -->` and `<!-- browsers:end -->`, so the table
 * says which versions the suite last ran in rather than versions typed by hand.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { findChromium } from './chromium.ts';
import { findFirefox } from './firefox.ts';
import { findMiniBrowser } from './webkit.ts';

export interface TestedBrowser {
  engine: 'Chromium' | 'Firefox (Gecko)' | 'WebKit';
  /** The browser and its version, or "not installed". */
  version: string;
  /** What the tests drive it with. */
  driver: string;
  /** What runs in it. */
  runs: string;
  /** The npm script that runs its suite alone. */
  script: string;
}

function output(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** WebKitGTK's version from the Debian package that installed its MiniBrowser (the browser asks for a display to say it). */
function webkitVersion(miniBrowser: string): string {
  const owner = output('dpkg', ['-S', miniBrowser]).split(':')[0];
  const version = owner ? output('dpkg-query', ['-W', '-f', '${Version}', owner]) : '';
  return version ? `WebKitGTK ${version.replace(/-.*$/, '')}` : 'WebKitGTK (version unknown)';
}

export function testedBrowsers(): TestedBrowser[] {
  const chromium = findChromium();
  const firefox = findFirefox();
  const miniBrowser = findMiniBrowser();
  return [
    {
      engine: 'Chromium',
      version: chromium ? output(chromium, ['--version']).replace(/ built on.*$/, '') : 'not installed',
      driver: 'Playwright (CDP)',
      runs: 'component tests, the end-to-end suite, the 320 px touch run (mobile emulation), security and cluster suites',
      script: '`npm run test:e2e`',
    },
    {
      engine: 'Firefox (Gecko)',
      version: firefox ? output(firefox, ['--version']).replace(/^Mozilla /, '') : 'not installed',
      driver: 'Puppeteer over WebDriver BiDi',
      runs: 'the round trip in English and Arabic, axe in each state, keyboard',
      script: '`npm run test:firefox`',
    },
    {
      engine: 'WebKit',
      version: miniBrowser ? webkitVersion(miniBrowser) : 'not installed',
      driver: 'WebKitWebDriver (classic WebDriver), on Xvfb',
      runs: 'the round trip in English and Arabic, axe in each state, keyboard',
      script: '`npm run test:webkit`',
    },
  ];
}

/** The README's support table. */
export function supportTable(browsers: TestedBrowser[]): string {
  const rows = browsers.map((b) => `| ${b.engine} | ${b.version} | ${b.driver} | ${b.runs} | ${b.script} |`);
  return ['| Engine | Tested version | Driven by | What runs in it | Alone |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const browsers = testedBrowsers();
  if (process.argv.includes('--write')) {
    const path = fileURLToPath(new URL('../README.md', import.meta.url));
    const readme = readFileSync(path, 'utf8');
    const marked = /(<!-- browsers:start -->)[\s\S]*?(<!-- browsers:end -->)/;
    if (!marked.test(readme)) throw new Error('README.md has no <!-- browsers:start --> … <!-- browsers:end --> section');
    const written = readme.replace(marked, (_all, start: string, end: string) => `${start}\n${supportTable(browsers)}\n${end}`);
    // Formatted as `prettier --check` wants it (the table's columns padded).
    writeFileSync(path, await format(written, { ...(await resolveConfig(path)), filepath: path }));
  }
  for (const b of browsers) console.log(`${b.engine}: ${b.version}`);
}
