// Where the tests find Chromium: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then a
// Chromium that Playwright downloaded itself. One place, read by vitest and Playwright configs.
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from 'playwright';

/** Flags for a headless Chromium in a container on a closed network. */
export const CHROMIUM_ARGS: string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps dialling Google's hosts, which a closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The first Chromium found on this machine, or undefined. */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    (() => {
      try {
        return chromium.executablePath();
      } catch {
        return undefined;
      }
    })(),
  ];
  return candidates.find((path) => path && existsSync(path));
}

/** Launch options for Playwright and for Vitest's browser mode. */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = findChromium();
  return { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS };
}
