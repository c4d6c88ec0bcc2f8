/** The sites-file tests' shared steps: the demo file with one change to its first site, and the refusal's message. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DEFAULT_SITES_FILE, parseSites, SitesFileError } from './index.js';

/** The demo sites file, as shipped. */
export const demoSitesText = readFileSync(DEFAULT_SITES_FILE, 'utf8');

/** The demo sites file with `change` made to its first site. */
export function withSite(change: (site: Record<string, unknown>) => void): string {
  const json = JSON.parse(demoSitesText) as { sites: Record<string, unknown>[] };
  change(json.sites[0]!);
  return JSON.stringify(json);
}

/** The message a refused sites file gets; fails the test when the file is accepted. */
export function problem(text: string): string {
  try {
    parseSites(text, { PORT: '8080' });
  } catch (error) {
    expect(error).toBeInstanceOf(SitesFileError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}
