/**
 * Copies of the demo's sites file (demo/server/sites.json) for what runs the demo with other
 * settings: the test suites, the bench, the cluster and the examples. Each reads the stock file,
 * changes its own copy, and writes it where it points the server (SECURE_FORMS_SITES_FILE).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A sites file as JSON; the server checks the whole of it (demo/server/src/sites/schema.ts). */
export interface SitesFile {
  sites: Record<string, unknown>[];
}

/** The demo's own sites file. */
const STOCK_SITES_FILE = fileURLToPath(new URL('../demo/server/sites.json', import.meta.url));

/**
 * The stock sites, read afresh for each caller to change. `{PORT}` in the brand origins is the
 * server's own brand port unless `brandPort` names another (a proxy in front of it).
 */
export function stockSites(brandPort?: number): SitesFile {
  const text = readFileSync(STOCK_SITES_FILE, 'utf8');
  return JSON.parse(brandPort === undefined ? text : text.replaceAll('{PORT}', String(brandPort))) as SitesFile;
}

/**
 * Write `sites` to `file` for the server, readable by its owner only, as the server keeps its own
 * data directory: the file holds no secret (public keys, origins, operator names), but it decides
 * who may sign in and which pages may frame the form. Returns `file`.
 */
export function writeSites(file: string, sites: SitesFile): string {
  writeFileSync(file, JSON.stringify(sites, null, 2), { mode: 0o600 });
  return file;
}
