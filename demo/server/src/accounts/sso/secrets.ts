/**
 * The client secrets of the sites with single sign-on, read once at start from the environment
 * variables their `clientSecretEnv` names. A missing one stops the server with a message naming
 * the site and the variable (never a value), as a bad sites file does.
 */
import type { Sites, SiteConfig } from '../../sites/schema.js';

/** Each site's client secret, checked now; `lookup` reads one variable (the process's environment by default). */
export function clientSecrets(sites: Sites, lookup: (name: string) => string | undefined): (site: SiteConfig) => string {
  const secrets = new Map<string, string>();
  for (const site of sites.all()) {
    if (!site.sso) continue;
    const value = lookup(site.sso.clientSecretEnv);
    if (!value) {
      throw new Error(
        `The site ${site.id} signs in with ${site.sso.providerName}: set its client secret in the environment variable ${site.sso.clientSecretEnv}.`,
      );
    }
    secrets.set(site.id, value);
  }
  return (site) => {
    const secret = secrets.get(site.id);
    if (secret === undefined) throw new Error(`The site ${site.id} has no single sign-on.`);
    return secret;
  };
}
