// Makes sure the browser tests have a Chromium (Debian's `chromium` package when missing).
import { findChromium } from './chromium.ts';
import { ensureDebianPackage } from './debian-package.ts';

ensureDebianPackage({
  name: 'Chromium',
  debianPackage: 'chromium',
  find: findChromium,
  help: `
The browser tests need Chromium, and none was found.
Get one of these, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install chromium   (or run this command as root)
  - anywhere Playwright can download:  npx playwright install chromium
  - or point at one you have:  CHROMIUM_PATH=/path/to/chromium npm test
`,
});
