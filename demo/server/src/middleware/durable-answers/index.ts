/**
 * Each request under the path it is mounted on (the /v1 API) is one answer of the store
 * (Store.answering): its reads do not each wait for the database's log to reach the disk; the
 * response waits once, before it leaves, for every commit they may have seen. Mounted inside the
 * audit trail, so that the audit line, written after, rests on durable commits too.
 */
import type { MiddlewareHandler } from 'hono';
import type { Store } from '../../storage/types.js';

export function durableAnswers(store: Pick<Store, 'answering'>): MiddlewareHandler {
  return (c, next) => store.answering(next);
}
