// The type of essential-routes.mjs, for the TypeScript that imports it (the floor itself stays
// plain JavaScript: it runs in a measured process, see there).
import type { Hono } from 'hono';

/** Mount the essential routes on `app` (a Hono app), on a fresh database file; `close()` removes it. */
export function essentialRoutes(app: Hono): { close(): void };
