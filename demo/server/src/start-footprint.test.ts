/**
 * What a start on the embedded defaults (SQLite, the ephemeral state in memory) loads: not the
 * drivers and libraries that only some deployments use. Each is loaded where it is needed (at
 * start when it is configured, or at its first use), so a server that does not use one does not
 * hold its code and objects (docs/deployment.md, "What the server holds").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** Packages a start on the defaults must not load: PostgreSQL, Redis, passkeys, single sign-on. */
const NOT_AT_START = ['pg', 'ioredis', '@simplewebauthn/server', 'openid-client'];

// The child records every module it resolves (a module-resolution hook, for ES modules and the
// CommonJS packages they import), opens the app as main.ts does and closes it again.
// No import statement in it: tsx, registered first, would compile one to a require().
const HOOK = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.getBuiltinModule('node:fs').appendFileSync(process.env.FOOTPRINT_FILE, resolved.url + '\\n');
  return resolved;
}`;
const CHILD = `const { register } = await import('node:module');
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
const { openApp } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'bootstrap.ts')).href)});
const { serverConfig } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'config/index.ts')).href)});
const { createLogger } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'logger.ts')).href)});
const config = serverConfig({ SECURE_FORMS_DATA_DIR: process.env.FOOTPRINT_DIR, SECURE_FORMS_ALLOW_LOCAL_KEYS: '1' });
const opened = await openApp(config, createLogger({ level: 'warn', destination: { write: () => undefined } }));
await opened.app.close();
opened.keys.custody.close();
await opened.audit.close();
await opened.store.close();`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The package names of the modules the child resolved. */
function packagesLoaded(file: string): Set<string> {
  const names = new Set<string>();
  for (const url of readFileSync(file, 'utf8').split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) names.add(match[1]!);
  }
  return names;
}

describe('a start on the embedded defaults', () => {
  it('does not load the PostgreSQL driver, the Redis client, the passkey library or the OpenID client', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-footprint-'));
    dirs.push(dir);
    const file = join(dir, 'resolved.txt');
    // A file, not `-e`: tsx compiles evaluated code in a way that breaks the hook's registration.
    const script = join(dir, 'open-app.mjs');
    writeFileSync(script, CHILD);
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, FOOTPRINT_FILE: file, FOOTPRINT_DIR: join(dir, 'data') },
      });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(err) : reject(new Error(`the child exited with ${code}: ${err}`))));
    });
    expect(stderr).toBe('');
    const loaded = packagesLoaded(file);
    // The check sees what the app loads: better-sqlite3 and kysely, its store, are there.
    expect(loaded).toContain('better-sqlite3');
    expect(loaded).toContain('kysely');
    expect(NOT_AT_START.filter((name) => loaded.has(name))).toEqual([]);
  });
});
