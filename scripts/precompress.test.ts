import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { precompress } from './precompress.ts';

describe('precompress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-precompress-'));

  it('writes brotli and gzip copies that decompress to the file', () => {
    const file = join(dir, 'index-AbCd1234.js');
    const body = Buffer.from(`export const text = ${JSON.stringify('a secure form '.repeat(500))};`);
    writeFileSync(file, body);
    const sizes = precompress(file);
    expect(sizes.br).toBeLessThan(sizes.gzip);
    expect(brotliDecompressSync(readFileSync(`${file}.br`)).equals(body)).toBe(true);
    expect(gunzipSync(readFileSync(`${file}.gz`)).equals(body)).toBe(true);
  });

  it('writes no copy that would be larger than the file', () => {
    const file = join(dir, 'tiny.js');
    writeFileSync(file, 'x');
    precompress(file);
    expect(existsSync(`${file}.br`) || existsSync(`${file}.gz`)).toBe(false);
  });
});
