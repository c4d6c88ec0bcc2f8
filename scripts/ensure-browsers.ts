// Makes sure the other engines' tests (playwright.engines.config.ts) have a Firefox: Debian's
// `firefox-esr` package when missing, which Puppeteer drives over WebDriver BiDi (no geckodriver).
import { ensureDebianPackage } from './debian-package.ts';
import { findFirefox } from './firefox.ts';

ensureDebianPackage({
  name: 'Firefox',
  debianPackage: 'firefox-esr',
  find: findFirefox,
  help: `
The Firefox tests need Firefox (ESR 128 or later: it speaks WebDriver BiDi), and none was found.
Get one of these, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install firefox-esr   (or run this command as root)
  - or point at one you have:  FIREFOX_PATH=/path/to/firefox npm test
`,
});
