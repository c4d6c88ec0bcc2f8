/**
 * A site's single sign-on settings (`sso` in the sites file): the brand's OpenID Provider, the
 * client registered there, and how the ID token's claims map to an operator, a role and a profile.
 *
 * The client secret is never in the sites file: `clientSecretEnv` names the environment variable
 * that holds it (as the PKCS#11 PIN and the master key are given to the server), and the server
 * refuses to start when that variable is unset. The redirect URI is not a setting: it is derived
 * from the PCI origin (`<PCI origin>/v1/sso/<site id>/callback`), the URI to register at the
 * provider.
 */
import { ROLES } from '@secure-forms/shared';
import * as z from 'zod';

/** Host names for which an `http:` issuer is accepted (a provider on this machine: tests, local development). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an issuer is served over plain http on this machine (openid-client refuses http unless told). */
export function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const claimName = z.string().regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'must be a claim name such as sub, name or groups');

/** One rule of the mapping: operators whose groups claim lists `group` get this role and profile. */
export const ssoGroupRuleSchema = z.strictObject({
  group: z.string().min(1).max(200),
  role: z.enum(ROLES),
  /** A profile name of the site; default: the profile named like the role. */
  profile: z.optional(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes')),
});

export const ssoSettingsSchema = z.strictObject({
  /** The provider's name on the sign-in button ("Sign in with <providerName>"). */
  providerName: z.string().min(1).max(60),
  /** The issuer identifier; its `/.well-known/openid-configuration` is read at the first sign-in. */
  issuer: z.string().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || isLoopbackHttp(value);
    } catch {
      return false;
    }
  }, 'must be an https URL (http only for a provider on localhost)'),
  clientId: z.string().min(1).max(200),
  /** The name of the environment variable holding the client secret (never the secret itself). */
  clientSecretEnv: z.string().regex(/^[A-Z][A-Z0-9_]{0,99}$/, 'must be the name of an environment variable, e.g. SECURE_FORMS_SSO_SECRET'),
  /** The scopes asked for; `openid` is always among them. */
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/))
    .default(['openid', 'profile', 'groups'])
    .refine((scopes) => scopes.includes('openid'), 'must include openid'),
  claims: z
    .strictObject({
      /** The operator's stable id at the provider. */
      subject: claimName.default('sub'),
      displayName: claimName.default('name'),
      /** A list of strings (or one string). */
      groups: claimName.default('groups'),
    })
    .default({ subject: 'sub', displayName: 'name', groups: 'groups' }),
  /**
   * Groups to role and profile, first match wins: list the rule you want to win first. An
   * operator whose groups match no rule is refused and disabled (deprovisioning).
   */
  groups: z.array(ssoGroupRuleSchema).min(1).max(50),
});
export type SsoSettings = z.infer<typeof ssoSettingsSchema>;
