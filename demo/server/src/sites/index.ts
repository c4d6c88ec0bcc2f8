export { siteConfigSchema, Sites, type SiteConfig } from './schema.js';
export { demoSite, DEMO_OPERATORS } from './demo.js';
