/**
 * The first middleware of the PCI app: work out, once, who the client is (see http/client.ts) so
 * that every limit, the audit trail and HSTS read the same answer. Only the proxies in `trust` are
 * believed; with none, X-Forwarded-For and X-Forwarded-Proto are ignored.
 */
import type { MiddlewareHandler } from 'hono';
import { rememberClient, resolveClient, type ProxyTrust } from '../../http/client.js';

/** Resolve and record the client's address and scheme for the rest of the request. */
export function trustedProxies(trust: ProxyTrust): MiddlewareHandler {
  // Not async: a check before the route adds no promise of its own to every request (the same in
  // the other checks of the chain).
  return (c, next) => {
    rememberClient(c, resolveClient(c, trust));
    return next();
  };
}
