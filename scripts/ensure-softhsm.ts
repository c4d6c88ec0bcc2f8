// Makes sure the key custody tests have SoftHSM2, a PKCS#11 token in software (Debian's `softhsm2`
// package when missing).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian-package.ts';

const MODULE = process.env.SECURE_FORMS_PKCS11_MODULE || '/usr/lib/softhsm/libsofthsm2.so';

ensureDebianPackage({
  name: 'SoftHSM2',
  debianPackage: 'softhsm2',
  find: () => {
    if (!existsSync(MODULE)) return null;
    try {
      execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
      return MODULE;
    } catch {
      return null;
    }
  },
  help: `
The key custody tests need SoftHSM2 (a PKCS#11 token in software), and none was found.
Get it, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install softhsm2   (or run this command as root)
  - on Fedora:  sudo dnf install softhsm;  on macOS:  brew install softhsm
  - or point at the module you have:  SECURE_FORMS_PKCS11_MODULE=/path/to/libsofthsm2.so npm test
`,
});
