/**
 * A response leaves only once every commit made so far is durable (Store.durable): whatever it
 * says may rest on a commit of its own or one its reads saw, and the store's calls do not wait for
 * the disk themselves (storage/durable-commits.ts). Mounted on every route of the PCI origin,
 * inside the audit trail, so that the audit line written after it rests on durable commits too.
 * A response with nothing to wait for (a static file, or no commit since the last sync) goes at
 * once, after awaiting a resolved promise.
 */
import type { MiddlewareHandler } from 'hono';
import type { Store } from '../../storage/types.js';

export function durableAnswers(store: Pick<Store, 'durable'>): MiddlewareHandler {
  return async (_c, next) => {
    await next();
    // durable() answers a resolved promise when nothing is left to wait for: one look at the
    // database (isDurable() and then durable() would look twice), one await.
    await store.durable();
  };
}
