/**
 * A signed-in operator's own passkeys (register, list, rename, remove) and an admin's reset of
 * another operator's passkeys. Everything here acts from a session; the ceremonies themselves are
 * passkeys.ts.
 *
 * The last passkey: an operator the site asks for a second factor keeps at least one way to give
 * it. Its last passkey is removed only while it also has a TOTP secret and the site allows TOTP;
 * otherwise the removal is refused with PASSKEY_LAST_REQUIRED (add another passkey first, or ask
 * an administrator to reset). An admin's reset removes them all: that operator's next sign-in then
 * offers TOTP if set up and allowed, else is refused until a passkey is registered again for it.
 *
 * The reset asks for the admin's own fresh passkey assertion (step-up), bound to the admin's
 * session: a stolen admin session alone cannot strip another operator's second factor.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Passkey } from '@secure-forms/shared';
import { Refusal } from '../domain/refusal.js';
import type { Store } from '../storage/types.js';
import type { Authenticated } from './accounts.js';
import { secondFactorRequired } from './operators.js';
import { publicPasskey, type PasskeyCeremonies } from './passkeys.js';

export class PasskeyAccount {
  constructor(
    private readonly store: Store,
    private readonly ceremonies: PasskeyCeremonies,
  ) {}

  /** The operator's passkeys, oldest first, and whether the site asks it for a second factor. */
  async list({ operator, site }: Authenticated): Promise<{ passkeys: Passkey[]; required: boolean }> {
    const rows = await this.store.listPasskeys(operator.id);
    return { passkeys: rows.map(publicPasskey), required: secondFactorRequired(site, operator.role) };
  }

  private allowed({ site }: Authenticated): void {
    if (!site.secondFactor.methods.includes('passkey')) throw new Refusal('FORBIDDEN', 'This site does not use passkeys.');
  }

  /** Options for `startRegistration`, bound to this session. */
  async registrationOptions(auth: Authenticated) {
    this.allowed(auth);
    return this.ceremonies.registrationOptions(auth.site, auth.operator, auth.session.tokenHash);
  }

  async register(auth: Authenticated, response: RegistrationResponseJSON, name: string): Promise<Passkey> {
    this.allowed(auth);
    return this.ceremonies.register(auth.site, auth.operator, auth.session.tokenHash, response, name);
  }

  async rename({ operator }: Authenticated, id: string, name: string): Promise<Passkey> {
    if (!(await this.store.renamePasskey(operator.id, id, name))) throw new Refusal('NOT_FOUND', 'You have no such passkey.');
    const row = await this.store.findPasskey(id);
    if (!row) throw new Refusal('NOT_FOUND', 'You have no such passkey.');
    return publicPasskey(row);
  }

  /** Remove one of the operator's own passkeys, keeping the last one while it is its only allowed second factor. */
  async remove({ operator, site }: Authenticated, id: string): Promise<void> {
    const totpFallback = site.secondFactor.methods.includes('totp') && operator.totpSecret !== null;
    const keepOne = secondFactorRequired(site, operator.role) && !totpFallback;
    const outcome = await this.store.deletePasskey(operator.id, id, keepOne);
    if (outcome === 'missing') throw new Refusal('NOT_FOUND', 'You have no such passkey.');
    if (outcome === 'last') {
      throw new Refusal(
        'PASSKEY_LAST_REQUIRED',
        'This is your only passkey and this site asks you for a second factor: add another passkey first, then remove this one.',
      );
    }
  }

  /** Options for the admin's own assertion before a reset, bound to this session. */
  async stepUpOptions({ operator, site, session }: Authenticated) {
    const options = await this.ceremonies.assertionOptions(site, operator, 'step-up', session.tokenHash);
    if (!options) throw new Refusal('FORBIDDEN', 'Add a passkey of your own first: this step asks you to confirm with it.');
    return options;
  }

  /** An admin removes every passkey of another operator of its site, after a fresh assertion of its own passkey. */
  async reset({ operator, site, session }: Authenticated, targetId: string, response: AuthenticationResponseJSON): Promise<number> {
    if (operator.role !== 'admin') throw new Refusal('FORBIDDEN', "Only an administrator can reset another operator's passkeys.");
    const target = await this.store.findOperator(targetId);
    if (!target || target.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such operator.');
    // Not one's own: that is the list's removal, which keeps the last passkey where it must.
    if (target.id === operator.id) throw new Refusal('FORBIDDEN', 'Remove your own passkeys from your passkey list.');
    await this.ceremonies.verifyAssertion(site, operator, 'step-up', session.tokenHash, response);
    return this.store.deletePasskeys(target.id);
  }
}
