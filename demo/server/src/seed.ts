/**
 * The demo accounts: alice and bob (agents), morgan (manager), on site "demo". Their password is
 * `SECURE_FORMS_DEMO_PASSWORD` when set (and then reset to it on every start), else generated on
 * the first start and shown once.
 */
import type { AccountService } from './accounts/accounts.js';
import { generatePassword } from './crypto/passwords.js';
import { DEMO_OPERATORS } from './sites/demo.js';
import type { Store } from './storage/types.js';

export type SeedOutcome =
  | { password: 'from-env' }
  | { password: 'generated'; generated: string }
  | { password: 'printed-before' };

export async function seedDemo(store: Store, accounts: AccountService, siteId: string, envPassword: string | undefined): Promise<SeedOutcome> {
  if (envPassword) {
    for (const spec of DEMO_OPERATORS) await accounts.ensureOperator(siteId, spec, envPassword, true);
    return { password: 'from-env' };
  }
  const seeded = await Promise.all(DEMO_OPERATORS.map((spec) => store.findOperatorByUsername(siteId, spec.username)));
  if (seeded.every((row) => row !== undefined)) return { password: 'printed-before' };
  const generated = generatePassword(20);
  for (const spec of DEMO_OPERATORS) await accounts.ensureOperator(siteId, spec, generated, false);
  return { password: 'generated', generated };
}
