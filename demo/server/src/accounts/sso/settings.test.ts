/** A site's single sign-on settings: checked when the sites file loads, and the client secret at start. */
import { describe, expect, it } from 'vitest';
import { problem, withSite } from '../../sites/sites-test-support.js';
import { parseSites } from '../../sites/index.js';
import { clientSecrets } from './secrets.js';

const sso = {
  providerName: 'Brand Login',
  issuer: 'https://login.brand.example',
  clientId: 'secure-forms',
  clientSecretEnv: 'SECURE_FORMS_SSO_SECRET_BRAND',
  groups: [{ group: 'secure-forms-agents', role: 'agent' }],
};

describe('single sign-on settings', () => {
  it('take an https issuer, a secret by the name of its variable, and defaults for scopes and claims', () => {
    const sites = parseSites(
      withSite((s) => (s.sso = sso)),
      { PORT: '8080' },
    );
    expect(sites.get('demo')?.sso).toMatchObject({
      scopes: ['openid', 'profile', 'groups'],
      claims: { subject: 'sub', displayName: 'name', groups: 'groups' },
    });
  });

  it('refuse a plain-http issuer elsewhere than this machine, a secret in place of a variable name, scopes without openid and an unknown profile', () => {
    expect(problem(withSite((s) => (s.sso = { ...sso, issuer: 'http://login.brand.example' })))).toMatch(
      /sso\.issuer: must be an https URL/,
    );
    expect(problem(withSite((s) => (s.sso = { ...sso, clientSecretEnv: 'hunter2-the-secret' })))).toMatch(
      /sso\.clientSecretEnv: must be the name of an environment variable/,
    );
    expect(problem(withSite((s) => (s.sso = { ...sso, scopes: ['profile'] })))).toMatch(/sso\.scopes: must include openid/);
    expect(problem(withSite((s) => (s.sso = { ...sso, groups: [{ group: 'g', role: 'agent', profile: 'nosuch' }] })))).toMatch(
      /sso\.groups\.0\.profile: unknown profile "nosuch"/,
    );
    expect(problem(withSite((s) => (s.sso = { ...sso, groups: [] })))).toMatch(/sso\.groups/);
  });

  it('stop the server at start when the client secret variable is unset, naming the variable and never a value', () => {
    const sites = parseSites(
      withSite((s) => (s.sso = sso)),
      { PORT: '8080' },
    );
    expect(() => clientSecrets(sites, () => undefined)).toThrow(
      'The site demo signs in with Brand Login: set its client secret in the environment variable SECURE_FORMS_SSO_SECRET_BRAND.',
    );
    const secret = clientSecrets(sites, (name) => (name === 'SECURE_FORMS_SSO_SECRET_BRAND' ? 's3cret' : undefined));
    expect(secret(sites.get('demo')!)).toBe('s3cret');
  });
});
