/**
 * The demo accounts: the operators the site configuration lists (alice and bob, agents; morgan,
 * manager with history viewing; max, manager without it; ada, admin). Their password is
 * `SECURE_FORMS_DEMO_PASSWORD` when set (and then reset to it on every start), else generated on
 * the first start and shown once. Managers and admins (and agents where the site says so) get a
 * TOTP secret the first time, whose otpauth URI is shown once with the password. The secret is
 * random, or `SECURE_FORMS_DEMO_TOTP_SECRET` when set (so that end-to-end tests can sign a
 * manager in); it applies when an operator is first enrolled.
 */
import type { AccountService } from './accounts/accounts.js';
import { generatePassword } from './crypto/passwords.js';
import type { SiteConfig } from './sites/schema.js';
import type { Store } from './storage/types.js';

export interface SeededTotp {
  username: string;
  role: string;
  uri: string;
}

export type SeedOutcome = (
  | { password: 'from-env' }
  /** `only`: the operators this password is for, when another instance seeded the others at the same moment. */
  | { password: 'generated'; generated: string; only?: string[] }
  | { password: 'printed-before' }
) & {
  totp: SeededTotp[];
};

export async function seedDemo(
  store: Store,
  accounts: AccountService,
  site: SiteConfig,
  envPassword: string | undefined,
  envTotpSecret?: string,
): Promise<SeedOutcome> {
  const totp: SeededTotp[] = [];
  const created: string[] = [];
  const ensure = async (password: string, reset: boolean) => {
    for (const spec of site.operators) {
      const result = await accounts.operators.ensure(site.id, spec, password, reset, undefined, envTotpSecret);
      if (result.outcome === 'created') created.push(spec.username);
      if (result.totpUri) totp.push({ username: spec.username, role: spec.role, uri: result.totpUri });
    }
  };
  if (envPassword) {
    await ensure(envPassword, true);
    return { password: 'from-env', totp };
  }
  const seeded = await Promise.all(site.operators.map((spec) => store.findOperatorByUsername(site.id, spec.username)));
  if (seeded.every((row) => row !== undefined)) {
    // Already seeded: keep passwords; still sync roles and profiles, and enrol anyone new to TOTP.
    for (const spec of site.operators) {
      const result = await accounts.operators.ensure(site.id, spec, null, false, undefined, envTotpSecret);
      if (result.totpUri) totp.push({ username: spec.username, role: spec.role, uri: result.totpUri });
    }
    return { password: 'printed-before', totp };
  }
  const generated = generatePassword(Math.max(20, site.passwordMinLength));
  await ensure(generated, false);
  // Another instance on this database seeded at the same moment: its password is for the operators
  // it created, printed by it; this one's only for those created here.
  if (created.length === 0) return { password: 'printed-before', totp };
  if (created.length < site.operators.length) return { password: 'generated', generated, only: created, totp };
  return { password: 'generated', generated, totp };
}
