/**
 * Serving build output: one file, or a directory of assets. A file that is not built yet is a
 * clear 503 telling the developer to run `npm run build`, not a 404 they would have to puzzle over.
 *
 * Files are served from memory and read with synchronous calls: asynchronous file reads run on
 * libuv's thread pool, which password hashing also uses, and a flood of sign-ins must never make
 * the form frame's scripts wait. A cached file is checked against its size and modification time
 * (a synchronous stat, microseconds) so that a rebuild is picked up without a restart.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a built file, by its extension. */
export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const cache = new Map<string, { size: number; mtimeMs: number; body: Buffer }>();

/** The file's bytes from memory (read once, again after it changed), or undefined when it is not a file. */
export function readIfFile(file: string): Buffer | undefined {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info?.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.size === info.size && hit.mtimeMs === info.mtimeMs) return hit.body;
    const body = readFileSync(file);
    // Only files that exist in the build output get here, so the cache is as large as the build.
    cache.set(file, { size: info.size, mtimeMs: info.mtimeMs, body });
    return body;
  } catch {
    return undefined;
  }
}

/** The 503 page for a file that has not been built yet. */
export function notBuilt(c: Context, what: string): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head><body><main><h1>Not built yet</h1><p>${what} has not been built. Run <code>npm run build</code> in the repository root, then reload this page.</p></main></body></html>`,
    503,
  );
}

/** Serve one built file, or the 503 page. */
export function sendFile(c: Context, file: string, what: string, headers: Record<string, string> = {}): Response {
  const body = readIfFile(file);
  if (!body) return notBuilt(c, what);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('Content-Type', contentType(file));
  return c.body(new Uint8Array(body), 200);
}

/** Serve `relative` from inside `root` only; 404 for anything outside it or missing. */
export function sendFromDir(c: Context, root: string, relative: string): Response {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return c.text('Not found', 404);
  }
  const file = resolve(base, `.${sep}${decoded}`);
  if (!file.startsWith(base + sep) || decoded.includes('\0')) return c.text('Not found', 404);
  const body = readIfFile(file);
  if (!body) return c.text('Not found', 404);
  c.header('Content-Type', contentType(file));
  c.header('Cache-Control', 'no-cache');
  return c.body(new Uint8Array(body), 200);
}
