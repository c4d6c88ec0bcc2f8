// The bench's own server, a child process of scripts/bench.ts, on @hono/node-server like the demo:
//
// - 127.0.0.1:BENCH_BARE_PORT: bare Hono routes (read the JSON body, answer a small JSON) for the
//   load generator's baseline; the essential-work floor of a round trip (essential-routes.mjs);
//   the floor's form page; the decrypt page and its script.
// - localhost:BENCH_FLOOR_PORT: the floor's host page, whose iframe loads the form from the other
//   host name (cross-site, like the real frame).
//
// Environment: BENCH_BARE_PORT, BENCH_FLOOR_PORT, BENCH_STATIC_DIR (built decrypt script).
//
// Plain JavaScript on purpose, not TypeScript like the rest of the bench: this is a measured process
// (the bare route and the essential floor), started with plain `node`; a TypeScript loader (tsx)
// would add about 27 MB of RSS and 1.5 s of start-up to what the bench measures.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { essentialRoutes } from './essential-routes.mjs';

const fixtures = new URL('../../bench/fixtures/', import.meta.url).pathname;
const barePort = Number(process.env.BENCH_BARE_PORT);
const floorPort = Number(process.env.BENCH_FLOOR_PORT);
const staticDir = process.env.BENCH_STATIC_DIR;

const html = (file) => readFileSync(join(fixtures, file), 'utf8');
const floorForm = html('floor-form.html');
const floorHost = html('floor-host.html');
// Built only when the browser measurements run (`--only load` has none).
const decryptScript = staticDir && existsSync(join(staticDir, 'decrypt.js')) ? readFileSync(join(staticDir, 'decrypt.js'), 'utf8') : '';
const decryptPage =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Decrypt</title>' +
  '<script type="module" src="/decrypt.js"></script></head><body><main><h1>Decrypt</h1></main></body></html>';

const bare = new Hono();
// The baseline of every step of the round trip: parse what was sent, answer a small JSON.
bare.post('/bare/:step', async (c) => {
  const text = await c.req.text();
  if (text) JSON.parse(text);
  return c.json({ id: randomUUID(), ok: true }, c.req.param('step') === 'create' || c.req.param('step') === 'submit' ? 201 : 200);
});
const essential = essentialRoutes(bare);
bare.get('/floor/form.html', (c) => c.html(floorForm));
bare.get('/decrypt', (c) => c.html(decryptPage));
bare.get('/decrypt.js', (c) => c.body(decryptScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
bare.get('/ready', (c) => c.text('ok'));

const host = new Hono();
host.get('/floor/', (c) => c.html(floorHost));
host.get('/ready', (c) => c.text('ok'));

const servers = [
  serve({ fetch: bare.fetch, hostname: '127.0.0.1', port: barePort }),
  serve({ fetch: host.fetch, hostname: 'localhost', port: floorPort }),
];
for (const server of servers) {
  server.once('error', (error) => {
    process.stderr.write(`bench server: ${error.message}\n`);
    process.exit(1);
  });
}
const stop = () => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections?.();
  }
  essential.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
