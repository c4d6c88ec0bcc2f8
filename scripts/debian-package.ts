// One rule for the tools the test command needs from the system (Chromium, SoftHSM2): use the one
// that is there; on Debian as root, install the Debian package; anywhere else, stop and say how to
// get one. Node's own modules only.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** A tool the tests need, the Debian package that provides it, and how to find it. */
export interface SystemTool {
  name: string;
  /** One package, or several separated by spaces. */
  debianPackage: string;
  find: () => string | null | undefined;
  help: string;
}

/**
 * Exits 0 when `find()` finds the tool (after installing `debianPackage` on Debian as root if
 * needed); otherwise prints `help` and exits 1.
 */
export function ensureDebianPackage(tool: SystemTool): never {
  process.exit(findOrInstall(tool) ? 0 : 1);
}

/**
 * What `find()` finds, after installing `debianPackage` on Debian as root if needed; otherwise
 * prints `help` and gives null (for a script that needs several tools and reports on each).
 */
export function findOrInstall({ name, debianPackage, find, help }: SystemTool): string | null {
  const found = find();
  if (found) {
    console.log(`${name}: ${found}`);
    return found;
  }
  const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(safeRead('/etc/os-release'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    console.log(`No ${name} found: installing Debian's ${debianPackage} package (apt-get install ${debianPackage})…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...debianPackage.split(' ')], { stdio: 'inherit', env });
    const installed = find();
    if (installed) {
      console.log(`${name}: ${installed}`);
      return installed;
    }
  }
  console.error(help);
  return null;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
