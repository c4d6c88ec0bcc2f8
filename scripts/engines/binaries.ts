// Where the test engines' programs are: PostgreSQL's server tools (initdb, postgres) and
// redis-server. Shared by the ensure-* scripts (which install them) and the engines (which run them).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian keeps each PostgreSQL major version's server tools here, off the PATH. */
const DEBIAN_POSTGRES = '/usr/lib/postgresql';

function onPath(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The directory holding `initdb` and `postgres`: `$SECURE_FORMS_POSTGRES_BIN`, else Debian's
 * newest `/usr/lib/postgresql/<major>/bin`, else `pg_config --bindir`, else the PATH's.
 */
export function findPostgresBin(): string | null {
  const configured = process.env.SECURE_FORMS_POSTGRES_BIN;
  if (configured) return existsSync(join(configured, 'initdb')) ? configured : null;
  if (existsSync(DEBIAN_POSTGRES)) {
    const majors = readdirSync(DEBIAN_POSTGRES)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(DEBIAN_POSTGRES, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(DEBIAN_POSTGRES, majors[0], 'bin');
  }
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(bindir, 'initdb'))) return bindir;
  } catch {
    // No pg_config: look on the PATH.
  }
  const initdb = onPath('initdb');
  return initdb ? join(initdb, '..') : null;
}

/** The `redis-server` program: `$SECURE_FORMS_REDIS_SERVER`, else the PATH's. */
export function findRedisServer(): string | null {
  const configured = process.env.SECURE_FORMS_REDIS_SERVER;
  if (configured) return existsSync(configured) ? configured : null;
  return onPath('redis-server');
}
