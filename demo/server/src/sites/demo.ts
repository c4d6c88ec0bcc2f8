/** The demo site "demo", read from demo/server/sites.json with its brand page on http://localhost:PORT. */
import { DEFAULT_SITES_FILE, loadSitesFile } from './load.js';
import type { SiteConfig } from './schema.js';

export function demoSite(brandPort: number, file = DEFAULT_SITES_FILE): SiteConfig {
  const site = loadSitesFile(file, { PORT: String(brandPort) }).get('demo');
  if (!site) throw new Error(`${file} has no site "demo".`);
  return site;
}
