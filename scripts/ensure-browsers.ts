// Makes sure the other engines' tests (playwright.engines.config.ts) have their browsers, from
// Debian packages when missing: Firefox (`firefox-esr`, which Puppeteer drives over WebDriver BiDi,
// no geckodriver), WebKit (`webkit2gtk-driver`: WebKitWebDriver and WebKitGTK's MiniBrowser), the
// virtual X server WebKitGTK draws on (`xvfb`) and glibc's locale sources (`locales`), from which
// the WebKit run compiles the visitor's locale. Then prints each browser's version.
import { findOrInstall } from './debian-package.ts';
import { testedBrowsers } from './browser-versions.ts';
import { findFirefox } from './firefox.ts';
import { findLocaleSources, findWebKit, findXvfb } from './webkit.ts';

const found = [
  findOrInstall({
    name: 'Firefox',
    debianPackage: 'firefox-esr',
    find: findFirefox,
    help: `
The Firefox tests need Firefox (ESR 128 or later: it speaks WebDriver BiDi), and none was found.
Get one of these, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install firefox-esr   (or run this command as root)
  - or point at one you have:  FIREFOX_PATH=/path/to/firefox npm test
`,
  }),
  findOrInstall({
    name: 'WebKit',
    debianPackage: 'webkit2gtk-driver',
    find: findWebKit,
    help: `
The WebKit tests need WebKitGTK's WebKitWebDriver and MiniBrowser, and they were not found.
Get them, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install webkit2gtk-driver   (or run this command as root)
  - or point at yours:  WEBKIT_WEBDRIVER_PATH=/path/to/WebKitWebDriver WEBKIT_MINIBROWSER_PATH=/path/to/MiniBrowser npm test
`,
  }),
  findOrInstall({
    name: 'Xvfb',
    debianPackage: 'xvfb',
    find: findXvfb,
    help: `
The WebKit tests need Xvfb (WebKitGTK has no headless mode), and it was not found.
  - on Debian or Ubuntu:  sudo apt-get install xvfb   (or run this command as root)
  - or point at yours:  XVFB_PATH=/path/to/Xvfb npm test
`,
  }),
  findOrInstall({
    name: 'Locale sources',
    debianPackage: 'locales',
    find: findLocaleSources,
    help: `
The WebKit tests in Arabic need glibc's locale sources (/usr/share/i18n/locales) and localedef.
  - on Debian or Ubuntu:  sudo apt-get install locales   (or run this command as root)
`,
  }),
];
for (const browser of testedBrowsers()) console.log(`Tested in ${browser.engine}: ${browser.version}`);
process.exit(found.every(Boolean) ? 0 : 1);
