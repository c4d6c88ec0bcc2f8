#!/usr/bin/env node
// Makes sure the browser tests have a Chromium. Uses one that is there; on Debian as root it
// installs Debian's `chromium` package; anywhere else it stops and says how to get one.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

const found = findChromium();
if (found) {
  console.log(`Chromium: ${found}`);
  process.exit(0);
}

const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(safeRead('/etc/os-release'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (isDebian && isRoot) {
  console.log("No Chromium found: installing Debian's chromium package (apt-get install chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  const installed = findChromium();
  if (installed) {
    console.log(`Chromium: ${installed}`);
    process.exit(0);
  }
}

console.error(`
The browser tests need Chromium, and none was found.
Get one of these, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install chromium   (or run this command as root)
  - anywhere Playwright can download:  npx playwright install chromium
  - or point at one you have:  CHROMIUM_PATH=/path/to/chromium npm test
`);
process.exit(1);

function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
