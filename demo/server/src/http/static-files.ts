/**
 * Serving build output: one file, or a directory of assets. A file that is not built yet is a
 * clear 503 telling the developer to run `npm run build`, not a 404 they would have to puzzle over.
 *
 * Files are served from memory and read with synchronous calls: asynchronous file reads run on
 * libuv's thread pool, which password hashing also uses, and a flood of sign-ins must never make
 * the form frame's scripts wait. A cached file is checked against its size and modification time
 * (a synchronous stat, microseconds) so that a rebuild is picked up without a restart.
 *
 * Caching and compression: every file carries a strong ETag (a hash of its bytes, computed once
 * when it is read) and answers 304 to a matching If-None-Match. The brotli and gzip copies that
 * the build wrote beside a file (file.br, file.gz: scripts/precompress.ts) are served by
 * Accept-Encoding, with `Vary: Accept-Encoding`; nothing is compressed per request. Folders whose
 * file names carry a content hash are served `immutable` for a year; everything else `no-cache`
 * (the browser revalidates, and the ETag makes that a 304 without a body).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

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

/** Cache-Control of a file whose name carries a hash of its content: it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of a file whose name stays the same across builds: revalidate every time. */
export const REVALIDATE = 'no-cache';

/** The Content-Type of a built file, by its extension. */
export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The content codings the build writes, in the server's order of preference. */
const CODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Coding = (typeof CODINGS)[number]['name'];

/** One representation of a file: its bytes and its strong ETag. */
interface Representation {
  /** A view of the file's bytes (no copy), as a response body takes it. */
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

interface CachedFile {
  size: number;
  mtimeMs: number;
  identity: Representation;
  encoded: Partial<Record<Coding, Representation>>;
}

const cache = new Map<string, CachedFile>();

const view = (buffer: Buffer) => new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);

const etagOf = (body: Buffer, coding?: Coding) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}${coding ? `-${coding}` : ''}"`;

/** A precompressed copy written by the build after `file` itself (an older one is left out). */
function readCopy(path: string, notBefore: number): Buffer | undefined {
  const info = statSync(path, { throwIfNoEntry: false });
  return info?.isFile() && info.mtimeMs >= notBefore ? readFileSync(path) : undefined;
}

/** The file from memory (read once, again after it changed), or undefined when it is not a file. */
function load(file: string): CachedFile | undefined {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info?.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.size === info.size && hit.mtimeMs === info.mtimeMs) return hit;
    const body = readFileSync(file);
    const encoded: CachedFile['encoded'] = {};
    for (const { name, suffix } of CODINGS) {
      const copy = readCopy(file + suffix, info.mtimeMs);
      if (copy) encoded[name] = { body: view(copy), etag: etagOf(body, name) };
    }
    // Only files that exist in the build output get here, so the cache is as large as the build.
    const entry = { size: info.size, mtimeMs: info.mtimeMs, identity: { body: view(body), etag: etagOf(body) }, encoded };
    cache.set(file, entry);
    return entry;
  } catch {
    return undefined;
  }
}

/** The coding the client accepts that the file has a copy in: highest q first, then br before gzip. */
function chooseCoding(c: Context, entry: CachedFile): Coding | undefined {
  const available = CODINGS.map((coding) => coding.name).filter((name) => entry.encoded[name] !== undefined);
  if (available.length === 0) return undefined;
  const chosen = accepts(c, {
    header: 'Accept-Encoding',
    supports: available,
    default: 'identity',
    match: (offered, { supports, default: fallback }) => {
      let best: { name: string; q: number } | undefined;
      for (const name of supports) {
        const q = offered.find((o) => o.type.toLowerCase() === name)?.q ?? 0;
        if (q > 0 && (!best || q > best.q)) best = { name, q };
      }
      return best?.name ?? fallback;
    },
  });
  return chosen === 'identity' ? undefined : (chosen as Coding);
}

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for this header). */
function notModified(c: Context, etag: string): boolean {
  const header = c.req.header('If-None-Match');
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The response for a cached file: the chosen representation, or 304 when the client has it. */
function respond(c: Context, file: string, entry: CachedFile, headers: Record<string, string>): Response {
  const coding = chooseCoding(c, entry);
  const representation = (coding && entry.encoded[coding]) || entry.identity;
  const out: Record<string, string> = { ...headers, ETag: representation.etag };
  if (Object.keys(entry.encoded).length > 0) out.Vary = 'Accept-Encoding';
  if (notModified(c, representation.etag)) return c.body(null, 304, out);
  out['Content-Type'] = contentType(file);
  if (coding) out['Content-Encoding'] = coding;
  return c.body(representation.body, 200, out);
}

const derived = new WeakMap<CachedFile, Map<(body: Uint8Array) => unknown, unknown>>();

/**
 * `derive` of `file`'s bytes (as served without compression), computed once per version of the
 * file (again after a rebuild, as the file itself is read again); undefined when it is not built.
 * For what a response must say about a file it serves, such as the hashes of a page's inline
 * scripts in its policy: taken from the very bytes served, it cannot disagree with them.
 */
export function derivedFrom<T>(file: string, derive: (body: Uint8Array) => T): T | undefined {
  const entry = load(file);
  if (!entry) return undefined;
  let values = derived.get(entry);
  if (!values) derived.set(entry, (values = new Map<(body: Uint8Array) => unknown, unknown>()));
  if (!values.has(derive)) values.set(derive, derive(entry.identity.body));
  return values.get(derive) as T;
}

/** The 503 page for a file that has not been built yet. */
export function notBuilt(c: Context, what: string): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head><body><main><h1>Not built yet</h1><p>${what} has not been built. Run <code>npm run build</code> in the repository root, then reload this page.</p></main></body></html>`,
    503,
  );
}

/** Serve one built file (`headers` should include its Cache-Control), or the 503 page. */
export function sendFile(c: Context, file: string, what: string, headers: Record<string, string> = {}): Response {
  const entry = load(file);
  if (!entry) return notBuilt(c, what);
  return respond(c, file, entry, headers);
}

/**
 * Serve `relative` from inside `root` only; 404 for anything outside it or missing. Pass
 * {@link IMMUTABLE} for a folder whose file names all carry a content hash (Vite's assets).
 */
export function sendFromDir(c: Context, root: string, relative: string, cacheControl = REVALIDATE): Response {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return c.text('Not found', 404);
  }
  const file = resolve(base, `.${sep}${decoded}`);
  if (!file.startsWith(base + sep) || decoded.includes('\0')) return c.text('Not found', 404);
  const entry = load(file);
  if (!entry) return c.text('Not found', 404);
  return respond(c, file, entry, { 'Cache-Control': cacheControl });
}
