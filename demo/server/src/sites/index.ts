export { siteConfigSchema, Sites, profilePermissions, DEFAULT_PROFILES, type SiteConfig, type OperatorConfig } from './schema.js';
export { demoSite } from './demo.js';
export { loadSitesFile, parseSites, DEFAULT_SITES_FILE, SitesFileError } from './load.js';
