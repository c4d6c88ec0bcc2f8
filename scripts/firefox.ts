// Where the tests find Firefox: $FIREFOX_PATH, then Debian's firefox-esr. One place, read by
// scripts/ensure-browsers.ts and the engine tests (e2e/engines/firefox.ts).
import { existsSync } from 'node:fs';

/** The first Firefox found on this machine, or undefined. */
export function findFirefox(): string | undefined {
  return [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => path && existsSync(path));
}
