/**
 * SQLite's page cache size, from SECURE_FORMS_SQLITE_CACHE_KIB (set by demo/server/start.sh).
 * better-sqlite3 builds SQLite with a 16 MB default cache per connection; the store's working set
 * is far smaller, and every cached page is resident memory the server holds for good.
 */
import type { Database } from 'better-sqlite3';

/** Thrown for a value that is not a whole number of KiB between 64 and 1,048,576. */
export class CacheSizeError extends Error {}

/** The cache size in KiB named by `raw`, or undefined to keep the library's default. */
export function parseCacheKib(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 64 || value > 1_048_576) {
    throw new CacheSizeError('SECURE_FORMS_SQLITE_CACHE_KIB must be a whole number of KiB between 64 and 1048576.');
  }
  return value;
}

/** Set the connection's page cache to `kib` KiB (a negative cache_size is a size in KiB, not pages). */
export function setCacheSize(db: Database, kib: number | undefined): void {
  if (kib !== undefined) db.pragma(`cache_size = -${kib}`);
}
