import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CacheSizeError, parseCacheKib, setCacheSize } from './cache-size.js';

// SQLite only by nature (a better-sqlite3 pragma), whatever engine the other tests run on.
describe('SQLite cache size', () => {
  it('keeps the default when unset', () => {
    expect(parseCacheKib(undefined)).toBeUndefined();
    expect(parseCacheKib('')).toBeUndefined();
  });

  it('refuses values that are not a sensible whole number of KiB', () => {
    for (const raw of ['abc', '1.5', '-2048', '10', '99999999']) expect(() => parseCacheKib(raw)).toThrow(CacheSizeError);
  });

  it('sets the connection cache in KiB', () => {
    const db = new Database(':memory:');
    const before = db.pragma('cache_size', { simple: true });
    setCacheSize(db, undefined);
    expect(db.pragma('cache_size', { simple: true })).toBe(before);
    setCacheSize(db, parseCacheKib('2048'));
    expect(db.pragma('cache_size', { simple: true })).toBe(-2048);
    db.close();
  });
});
