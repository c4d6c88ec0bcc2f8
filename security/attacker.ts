/**
 * A page on an origin the site does not list (http://127.0.0.1:ATTACKER_PORT), with no CSP of its
 * own, that frames whatever URL it is given: a real loopback origin, so that what stops the frame
 * is the frame page's own policy and not the browser's private network rules.
 */
import http from 'node:http';

export const ATTACKER_PORT = Number(process.env.SEC_ATTACKER_PORT ?? 18744);
export const ATTACKER = `http://127.0.0.1:${ATTACKER_PORT}`;

export async function startAttacker(): Promise<{ close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', ATTACKER);
    const src = url.searchParams.get('frame') ?? '';
    const escaped = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not the brand</title></head><body><h1>Another site</h1>${src ? `<iframe title="framed" src="${escaped}" width="600" height="400"></iframe>` : ''}</body></html>`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ATTACKER_PORT, '127.0.0.1', () => resolve());
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
