/** Operator sessions (stored by the hash of their token only). */
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import type { SessionRow, Store } from './types.js';

type SessionQueries = Pick<Store, 'insertSession' | 'findSession' | 'touchSession' | 'revokeSession'>;

// Every authenticated request reads and touches its session: compiled once (prepared.ts).
const find = prepared<SessionRow, { tokenHash: string }>((d, v) =>
  d.selectFrom('sessions').selectAll().where('tokenHash', '=', v.tokenHash),
);
const touch = prepared<never, { tokenHash: string; now: number }>((d, v) =>
  d.updateTable('sessions').set({ lastSeenAt: v.now }).where('tokenHash', '=', v.tokenHash),
);

export function sessionQueries({ run }: Engine): SessionQueries {
  return {
    async insertSession(row) {
      await run((d) => d.insertInto('sessions').values(row).execute());
    },
    findSession(tokenHash) {
      return run((d) => find.first(d, { tokenHash }));
    },
    async touchSession(tokenHash, now) {
      await run((d) => touch.run(d, { tokenHash, now }));
    },
    async revokeSession(tokenHash, now) {
      await run((d) =>
        d.updateTable('sessions').set({ revokedAt: now }).where('tokenHash', '=', tokenHash).where('revokedAt', 'is', null).execute(),
      );
    },
  };
}
