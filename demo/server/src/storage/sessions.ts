/** Operator sessions (stored by the hash of their token only). */
import type { Engine } from './engine.js';
import type { Store } from './types.js';

type SessionQueries = Pick<Store, 'insertSession' | 'findSession' | 'touchSession' | 'revokeSession'>;

export function sessionQueries({ run }: Engine): SessionQueries {
  return {
    async insertSession(row) {
      await run((d) => d.insertInto('sessions').values(row).execute());
    },
    findSession(tokenHash) {
      return run((d) => d.selectFrom('sessions').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst());
    },
    async touchSession(tokenHash, now) {
      await run((d) => d.updateTable('sessions').set({ lastSeenAt: now }).where('tokenHash', '=', tokenHash).execute());
    },
    async revokeSession(tokenHash, now) {
      await run((d) =>
        d.updateTable('sessions').set({ revokedAt: now }).where('tokenHash', '=', tokenHash).where('revokedAt', 'is', null).execute(),
      );
    },
  };
}
