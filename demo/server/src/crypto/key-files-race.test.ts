/**
 * Several server processes on one key directory (the local custody): started together on a fresh
 * directory, they must end up with one master key and one history key per site, the same in each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalHistoryKeys } from './custody/local-history-keys.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-keys-'));
  dirs.push(dir);
  return dir;
};

/** A process that waits for `at` (ms since the epoch), then loads the master key in each of `keyDirs`. */
const CHILD = `
import { loadMasterKey } from ${JSON.stringify(new URL('./master-key.ts', import.meta.url).pathname)};
const [at, ...keyDirs] = process.argv.slice(1);
while (Date.now() < Number(at)) {}
const out = [];
for (const dir of keyDirs) {
  try { out.push(loadMasterKey(dir, undefined).key.toString('base64')); } catch (error) { out.push('error: ' + error.message); }
}
process.stdout.write(JSON.stringify(out));
`;

function child(at: number, keyDirs: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, String(at), ...keyDirs]);
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
  });
}

describe('key files shared by several processes', () => {
  it(
    'three processes loading the master key of the same fresh directories get one key each time, never an error',
    { timeout: 60_000 },
    async () => {
      const keyDirs = Array.from({ length: 30 }, fresh);
      const at = Date.now() + 3000;
      const results = await Promise.all([child(at, keyDirs), child(at, keyDirs), child(at, keyDirs)]);
      for (let i = 0; i < keyDirs.length; i++) {
        const keys = results.map((r) => r[i]);
        expect(keys[0], `directory ${i}`).toMatch(/^[A-Za-z0-9+/]{43}=$/);
        expect(new Set(keys).size, `directory ${i}: ${keys.join(' | ')}`).toBe(1);
        expect(readdirSync(keyDirs[i]!)).toEqual(['master.key']);
      }
    },
  );

  it('history keys made at the same moment by three custodies on one directory are one key', async () => {
    const dir = fresh();
    const custodies = [new LocalHistoryKeys(dir), new LocalHistoryKeys(dir), new LocalHistoryKeys(dir)];
    const keys = await Promise.all(custodies.map((c) => c.publicKey('demo')));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['history-key-demo.jwk']);
  });
});
