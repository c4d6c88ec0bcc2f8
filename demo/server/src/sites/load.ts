/**
 * The sites file: JSON `{ "sites": [SiteConfig, ...] }`, validated by zod when the server starts.
 * `{PORT}` inside a brand origin is replaced by the brand port (so the demo follows `PORT`).
 * An invalid file stops the server with a message naming each bad key and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { REPO_ROOT } from '../paths.js';
import { siteConfigSchema, Sites } from './schema.js';

export const sitesFileSchema = z
  .strictObject({ sites: z.array(siteConfigSchema).min(1) })
  .refine((f) => new Set(f.sites.map((s) => s.id)).size === f.sites.length, { message: 'site ids must be unique', path: ['sites'] });

export const DEFAULT_SITES_FILE = join(REPO_ROOT, 'demo/server/sites.json');

export class SitesFileError extends Error {
  override readonly name = 'SitesFileError';
}

function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{([A-Z_]+)\}/g, (m, name: string) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

/** Parse the text of a sites file; throws SitesFileError naming every bad key. */
export function parseSites(text: string, vars: Record<string, string> = {}, source = 'sites file'): Sites {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SitesFileError(`${source} is not valid JSON.`);
  }
  const parsed = sitesFileSchema.safeParse(substitute(json, vars));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new SitesFileError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return new Sites(parsed.data.sites);
}

export function loadSitesFile(file: string = DEFAULT_SITES_FILE, vars: Record<string, string> = {}): Sites {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SitesFileError(`The sites file ${file} cannot be read.`);
  }
  return parseSites(text, vars, `The sites file ${file}`);
}
