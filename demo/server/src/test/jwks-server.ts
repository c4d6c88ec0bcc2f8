/**
 * A brand's JWKS endpoint for tests: a local HTTP server (loopback, so the sites file accepts its
 * `http:` URL) answering the document the test sets, counting the requests it gets, and failing
 * on demand (a status, no answer, an oversized body).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** How the endpoint answers its next requests. */
export type JwksBehaviour = { kind: 'document' } | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'body'; body: string };

export interface JwksServer {
  /** `http://127.0.0.1:<port>/jwks.json`. */
  url: string;
  /** The requests answered or left hanging so far. */
  readonly requests: number;
  /** The key set served (`{ keys: [...] }`). */
  document: { keys: unknown[] };
  behaviour: JwksBehaviour;
}

/** Start the endpoint serving `keys`; it closes when the test ends. */
export async function jwksServer(keys: unknown[] = []): Promise<JwksServer> {
  let requests = 0;
  const hanging = new Set<() => void>();
  const state: JwksServer = {
    url: '',
    get requests() {
      return requests;
    },
    document: { keys },
    behaviour: { kind: 'document' },
  };
  const server: Server = createServer((req, res) => {
    requests++;
    const b = state.behaviour;
    if (b.kind === 'hang') {
      hanging.add(() => res.destroy());
      return;
    }
    if (b.kind === 'status') {
      res.writeHead(b.status, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/jwk-set+json' }).end(b.kind === 'body' ? b.body : JSON.stringify(state.document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  onTestFinished(async () => {
    for (const end of hanging) end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return state;
}
