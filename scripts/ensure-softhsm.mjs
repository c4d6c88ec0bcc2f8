#!/usr/bin/env node
// Makes sure the key custody tests have SoftHSM2 (a PKCS#11 token in software). Uses the one that
// is there; on Debian as root it installs Debian's `softhsm2` package; anywhere else it stops and
// says how to get one.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const MODULE = process.env.SECURE_FORMS_PKCS11_MODULE || '/usr/lib/softhsm/libsofthsm2.so';

function found() {
  if (!existsSync(MODULE)) return false;
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (found()) {
  console.log(`SoftHSM2: ${MODULE}`);
  process.exit(0);
}

const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(safeRead('/etc/os-release'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (isDebian && isRoot) {
  console.log("No SoftHSM2 found: installing Debian's softhsm2 package (apt-get install softhsm2)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'softhsm2'], { stdio: 'inherit', env });
  if (found()) {
    console.log(`SoftHSM2: ${MODULE}`);
    process.exit(0);
  }
}

console.error(`
The key custody tests need SoftHSM2 (a PKCS#11 token in software), and none was found.
Get it, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install softhsm2   (or run this command as root)
  - on Fedora:  sudo dnf install softhsm;  on macOS:  brew install softhsm
  - or point at the module you have:  SECURE_FORMS_PKCS11_MODULE=/path/to/libsofthsm2.so npm test
`);
process.exit(1);

function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
