// One rule for the tools the test command needs from the system (Chromium, SoftHSM2): use the one
// that is there; on Debian as root, install the Debian package; anywhere else, stop and say how to
// get one. Node's own modules only.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** A tool the tests need, the Debian package that provides it, and how to find it. */
export interface SystemTool {
  name: string;
  debianPackage: string;
  find: () => string | null | undefined;
  help: string;
}

/**
 * Exits 0 when `find()` finds the tool (after installing `debianPackage` on Debian as root if
 * needed); otherwise prints `help` and exits 1.
 */
export function ensureDebianPackage({ name, debianPackage, find, help }: SystemTool): never {
  const found = find();
  if (found) {
    console.log(`${name}: ${found}`);
    process.exit(0);
  }
  const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(safeRead('/etc/os-release'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    console.log(`No ${name} found: installing Debian's ${debianPackage} package (apt-get install ${debianPackage})…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'inherit', env });
    const installed = find();
    if (installed) {
      console.log(`${name}: ${installed}`);
      process.exit(0);
    }
  }
  console.error(help);
  process.exit(1);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
