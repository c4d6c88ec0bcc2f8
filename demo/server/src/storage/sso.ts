/** Single sign-on identities (migration 0005): an operator found by its provider's issuer and subject. */
import type { Engine } from './engine.js';
import type { SsoQueries } from './sso-types.js';

export function ssoQueries({ run, tx }: Engine): SsoQueries {
  return {
    findSsoIdentity(siteId, issuer, subject) {
      return run((d) =>
        d
          .selectFrom('ssoIdentities')
          .selectAll()
          .where('siteId', '=', siteId)
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .executeTakeFirst(),
      );
    },
    async provisionSsoOperator(operator, identity) {
      try {
        await tx(async (t) => {
          await t
            .insertInto('operators')
            .values({ ...operator, permissions: JSON.stringify(operator.permissions) })
            .execute();
          await t.insertInto('ssoIdentities').values(identity).execute();
        });
        return true;
      } catch (error) {
        // A unique conflict, whatever the engine calls it: another sign-in provisioned this identity first.
        const existing = await run((d) =>
          d
            .selectFrom('ssoIdentities')
            .select('operatorId')
            .where('siteId', '=', identity.siteId)
            .where('issuer', '=', identity.issuer)
            .where('subject', '=', identity.subject)
            .executeTakeFirst(),
        );
        if (existing) return false;
        throw error;
      }
    },
    disableSsoOperator(operatorId, now) {
      return tx(async (t) => {
        await t.updateTable('ssoIdentities').set({ disabledAt: now }).where('operatorId', '=', operatorId).execute();
        await t
          .updateTable('sessions')
          .set({ revokedAt: now })
          .where('operatorId', '=', operatorId)
          .where('revokedAt', 'is', null)
          .execute();
      });
    },
    async enableSsoOperator(operatorId) {
      await run((d) => d.updateTable('ssoIdentities').set({ disabledAt: null }).where('operatorId', '=', operatorId).execute());
    },
  };
}
