/**
 * One configuration module: every environment variable the server reads is declared, validated
 * and documented in config/environment.ts, read only by main.ts and cli.ts through it, and the
 * README's table is the one rendered from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { ConfigError, readEnvironment, serverConfig, VARIABLES } from './index.js';
import { renderEnvironmentTable, withEnvironmentTable } from './table.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const production = (readdirSync(SRC, { recursive: true }) as string[]).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('test/'),
);
const names = new Set(VARIABLES.map((v) => v.name));

describe('the environment', () => {
  it('is read from process.env only by main.ts and cli.ts, through the config module', () => {
    const readers = production.filter((f) =>
      /process\.env\b/.test(readFileSync(join(SRC, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')),
    );
    expect(readers.sort()).toEqual(['cli.ts', 'main.ts']);
  });

  it('declares every variable the server and start.sh read', () => {
    const read = new Set<string>();
    for (const f of production) {
      for (const m of readFileSync(join(SRC, f), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
    }
    for (const m of readFileSync(join(REPO_ROOT, 'demo/server/start.sh'), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]+):-/g)) read.add(m[1]!);
    expect([...read].filter((name) => !names.has(name))).toEqual([]);
  });

  it("documents start.sh's own defaults (the memory settings) as the values it sets", () => {
    const script = readFileSync(join(REPO_ROOT, 'demo/server/start.sh'), 'utf8');
    const set = [...script.matchAll(/\$\{([A-Z][A-Z0-9_]+):-([^}]+)\}/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(set.length).toBeGreaterThan(0);
    for (const [name, value] of set) {
      expect(VARIABLES.find((v) => v.name === name)?.default, name).toMatch(new RegExp(`^${value} `));
    }
  });

  it('refuses a bad value with a line naming the variable, never the value', () => {
    const secret = 'not-base32-secret-value';
    let error: unknown;
    try {
      readEnvironment({ PORT: 'http', SECURE_FORMS_DEMO_TOTP_SECRET: secret, LOG_LEVEL: 'loud', SECURE_FORMS_SQLITE_CACHE_KIB: '1.5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines.map((l) => l.split(/[ :]/)[0])).toEqual([
      'PORT',
      'SECURE_FORMS_DEMO_TOTP_SECRET',
      'SECURE_FORMS_SQLITE_CACHE_KIB',
      'LOG_LEVEL',
    ]);
    expect((error as Error).message).not.toContain(secret);
  });

  it('reads the PostgreSQL settings, and refuses a database URL of another kind without quoting it', () => {
    const config = serverConfig({
      SECURE_FORMS_DATABASE_URL: 'postgres://forms:pw@db:5432/forms',
      SECURE_FORMS_DATABASE_POOL_SIZE: '20',
      SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://forms:pw@db:5432/forms',
      databasePoolSize: 20,
      databaseStatementTimeoutMs: 2500,
    });
    expect(serverConfig({}).databaseUrl).toBeUndefined();
    let error: unknown;
    try {
      readEnvironment({
        SECURE_FORMS_DATABASE_URL: 'mysql://forms:hunter2@db/forms',
        SECURE_FORMS_DATABASE_POOL_SIZE: '0',
        SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS: 'soon',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n').map((l) => l.split(/[ :]/)[0])).toEqual([
      'SECURE_FORMS_DATABASE_URL',
      'SECURE_FORMS_DATABASE_POOL_SIZE',
      'SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS',
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('gives the defaults for an empty environment, and treats empty values as unset', () => {
    const config = serverConfig({ PORT: '', SECURE_FORMS_DEMO_PASSWORD: '' });
    expect(config).toMatchObject({ brandPort: 8080, pciPort: 8443, trustedProxies: [], logLevel: 'info' });
    expect(config.dataDir).toBe(join(REPO_ROOT, 'demo/.data'));
    expect(config.demoPassword).toBeUndefined();
    expect(config.sqliteCacheKib).toBeUndefined();
  });

  it('reads Redis as a URL with a prefix, refuses another scheme without quoting it, and keeps memory without one', () => {
    expect(serverConfig({}).redis).toBeUndefined();
    expect(serverConfig({ SECURE_FORMS_REDIS_URL: 'redis://:pw@cache:6379/2' }).redis).toEqual({
      url: 'redis://:pw@cache:6379/2',
      prefix: 'secure-forms:',
      allowPersistence: false,
    });
    expect(
      serverConfig({
        SECURE_FORMS_REDIS_URL: 'rediss://cache',
        SECURE_FORMS_REDIS_PREFIX: 'eu:',
        SECURE_FORMS_REDIS_ALLOW_PERSISTENCE: '1',
      }).redis,
    ).toEqual({ url: 'rediss://cache', prefix: 'eu:', allowPersistence: true });
    let error: unknown;
    try {
      readEnvironment({ SECURE_FORMS_REDIS_URL: 'http://:hunter2@cache', SECURE_FORMS_REDIS_ALLOW_PERSISTENCE: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^SECURE_FORMS_REDIS_URL.*redis:\/\//);
    expect((error as Error).message).toMatch(/SECURE_FORMS_REDIS_ALLOW_PERSISTENCE/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('takes the PCI origin browsers reach (a proxy or load balancer in front), by default 127.0.0.1 on PCI_PORT', () => {
    expect(serverConfig({ PCI_PORT: '9443' }).pciOrigin).toBe('http://127.0.0.1:9443');
    expect(serverConfig({ PCI_PORT: '9443', SECURE_FORMS_PCI_ORIGIN: 'https://pci.example.com' }).pciOrigin).toBe(
      'https://pci.example.com',
    );
    for (const bad of ['pci.example.com', 'https://pci.example.com/v1', 'ftp://pci.example.com']) {
      expect(() => readEnvironment({ SECURE_FORMS_PCI_ORIGIN: bad })).toThrow(/^SECURE_FORMS_PCI_ORIGIN /);
    }
  });

  it('is documented by the README table rendered from the schema (run `npm run docs:config -w @secure-forms/demo` when this fails)', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(withEnvironmentTable(readme));
    for (const name of names) expect(renderEnvironmentTable()).toContain(`| \`${name}\``);
  });

  it('reads the instance id (a file name part, never a path) and the shutdown deadline', () => {
    expect(serverConfig({ SECURE_FORMS_INSTANCE_ID: 'pci-a.2' }).instanceId).toBe('pci-a.2');
    expect(serverConfig({}).instanceId).toBeUndefined();
    for (const bad of ['../up', 'a/b', '.hidden', 'x'.repeat(65)]) {
      expect(() => serverConfig({ SECURE_FORMS_INSTANCE_ID: bad })).toThrow(/SECURE_FORMS_INSTANCE_ID must be/);
    }
    expect(serverConfig({}).shutdownDeadlineMs).toBe(10_000);
    expect(serverConfig({ SECURE_FORMS_SHUTDOWN_DEADLINE_MS: '2500' }).shutdownDeadlineMs).toBe(2500);
    expect(() => serverConfig({ SECURE_FORMS_SHUTDOWN_DEADLINE_MS: '5s' })).toThrow(/SECURE_FORMS_SHUTDOWN_DEADLINE_MS must be/);
  });
});
