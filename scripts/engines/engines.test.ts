import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { alive, startEngines } from './index.ts';

describe('the test engines', () => {
  it('start a PostgreSQL and a Redis that answer, and stop() leaves no process and no directory', { timeout: 60_000 }, async () => {
    const engines = await startEngines({ postgres: true, redis: true });
    try {
      expect(engines.pids).toHaveLength(2);
      expect(existsSync(engines.dir)).toBe(true);
      const client = new pg.Client({ connectionString: engines.databaseUrl });
      await client.connect();
      await client.query('CREATE SCHEMA made_by_a_test');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      const redis = new Redis(engines.redisUrl!);
      expect(await redis.ping()).toBe('PONG');
      // Nothing an off-the-record value is written to may ever reach a disk.
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      redis.disconnect();
    } finally {
      await engines.stop();
    }
    for (const pid of engines.pids) expect(alive(pid)).toBe(false);
    expect(existsSync(engines.dir)).toBe(false);
    await engines.stop(); // twice is harmless
  });

  it('start only what is asked for', { timeout: 60_000 }, async () => {
    const engines = await startEngines({ redis: true });
    await engines.stop();
    expect(engines.databaseUrl).toBeUndefined();
    expect(engines.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(engines.pids).toHaveLength(1);
  });

  it('stop what did start when another engine fails to, and delete the directory', { timeout: 60_000 }, async () => {
    // A PostgreSQL whose initdb fails: Redis, started beside it, must not be left running.
    const bin = mkdtempSync(join(tmpdir(), 'sf-fake-pg-'));
    chmodSync(bin, 0o755); // run as the postgres user when the tests run as root
    writeFileSync(join(bin, 'initdb'), '#!/bin/sh\necho "initdb: cannot create the cluster" >&2\nexit 1\n', { mode: 0o755 });
    const base = mkdtempSync(join(tmpdir(), 'sf-engines-base-'));
    const before = process.env.SECURE_FORMS_POSTGRES_BIN;
    process.env.SECURE_FORMS_POSTGRES_BIN = bin;
    try {
      await expect(startEngines({ postgres: true, redis: true, dir: base })).rejects.toThrow(
        /initdb failed[\s\S]*cannot create the cluster/,
      );
    } finally {
      if (before === undefined) delete process.env.SECURE_FORMS_POSTGRES_BIN;
      else process.env.SECURE_FORMS_POSTGRES_BIN = before;
    }
    expect(readdirSync(base)).toEqual([]);
    const redisLeft = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(base));
    expect(redisLeft).toEqual([]);
    rmSync(bin, { recursive: true, force: true });
    rmSync(base, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'are stopped and deleted when the process that started them gets %s',
    { timeout: 60_000 },
    async (signal) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'hold.ts')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const started = await new Promise<{ pids: number[]; dir: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out) as { pids: number[]; dir: string });
        });
        child.once('exit', (code) => reject(new Error(`hold.ts ended early (${code})`)));
      });
      expect(started.pids.every(alive)).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, by) => resolve(by)));
      child.kill(signal);
      expect(await exited).toBe(signal);
      for (const pid of started.pids) expect(alive(pid)).toBe(false);
      expect(existsSync(started.dir)).toBe(false);
    },
  );
});
