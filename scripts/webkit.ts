// Where the tests find WebKit (WebKitGTK: Debian's webkit2gtk-driver and the MiniBrowser of
// libwebkit2gtk), the X server it draws on (Xvfb: WebKitGTK has no headless mode) and the locale
// data a language other than English needs. One place, read by scripts/ensure-browsers.ts and the
// engine tests (e2e/engines/webkit.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const lib = '/usr/lib';

/** The first existing path among `candidates`. */
function first(candidates: (string | undefined)[]): string | undefined {
  return candidates.find((path) => path && existsSync(path));
}

/** `WebKitWebDriver`: $WEBKIT_WEBDRIVER_PATH, then Debian's. */
export function findWebKitDriver(): string | undefined {
  return first([process.env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver']);
}

/** WebKitGTK's MiniBrowser (the browser WebKitWebDriver starts): $WEBKIT_MINIBROWSER_PATH, then libwebkit2gtk's, newest API first. */
export function findMiniBrowser(): string | undefined {
  const installed = existsSync(lib)
    ? readdirSync(lib)
        .flatMap((dir) => ['webkit2gtk-4.1', 'webkitgtk-6.0', 'webkit2gtk-4.0'].map((api) => join(lib, dir, api, 'MiniBrowser')))
        .sort()
        .reverse()
    : [];
  return first([process.env.WEBKIT_MINIBROWSER_PATH, ...installed]);
}

/** Both WebKit programs, or undefined when one is missing. */
export function findWebKit(): string | undefined {
  const driver = findWebKitDriver();
  const browser = findMiniBrowser();
  return driver && browser ? `${driver} with ${browser}` : undefined;
}

/** The virtual X server: $XVFB_PATH, then Debian's. */
export function findXvfb(): string | undefined {
  return first([process.env.XVFB_PATH, '/usr/bin/Xvfb']);
}

/** glibc's locale sources (Debian's `locales` package) and its compiler. */
const LOCALE_SOURCES = '/usr/share/i18n/locales';

export function findLocaleSources(): string | undefined {
  return existsSync(join(LOCALE_SOURCES, 'ar_EG')) ? first(['/usr/bin/localedef']) : undefined;
}

/**
 * A locale for `lang` (`ar`, `ar-EG`) as LANG and LOCPATH for a WebKit process: WebKitGTK takes
 * `navigator.language` from the process's locale (`setlocale`), and reports `en-US` under C. The
 * locale is compiled once into `dir` with localedef (no root, the system's locales untouched).
 */
export function localeFor(lang: string, dir: string): { LANG: string; LOCPATH: string } | undefined {
  if (/^en(-US)?$/i.test(lang)) return undefined;
  const [language, territory] = lang.split('-');
  const sources = readdirSync(LOCALE_SOURCES);
  const source = sources.includes(`${language}_${territory}`)
    ? `${language}_${territory}`
    : sources.filter((name) => name.startsWith(`${language}_`) && !name.includes('@')).sort()[0];
  if (!source) throw new Error(`No locale for ${lang} in ${LOCALE_SOURCES} (Debian's locales package)`);
  const name = `${source}.UTF-8`;
  if (!existsSync(join(dir, name, 'LC_CTYPE'))) {
    mkdirSync(dir, { recursive: true });
    // -c: write the locale despite the warnings glibc's own sources give (localedef then exits 1).
    const run = spawnSync(findLocaleSources() ?? 'localedef', ['-i', source, '-c', '-f', 'UTF-8', join(dir, name)], { encoding: 'utf8' });
    if (!existsSync(join(dir, name, 'LC_CTYPE'))) throw new Error(`localedef could not compile ${name}: ${run.stderr || run.error}`);
  }
  return { LANG: name, LOCPATH: dir };
}
