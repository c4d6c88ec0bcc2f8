/**
 * A small forwarding proxy for the network-edge spec: what a TLS proxy or a load balancer does in
 * front of the PCI origin. It connects to the server from one fixed loopback address
 * (PROXY_SOURCE, which the suite's server trusts), appends the real client's address to
 * X-Forwarded-For and says the client came over https (X-Forwarded-Proto), as a TLS-terminating
 * proxy does. Bodies and answers are streamed through unchanged.
 */
import http from 'node:http';
import { PCI_PORT, PROXY_PORT, PROXY_SOURCE } from './env.js';

/** Start the proxy on PROXY_PORT; resolves with a function that stops it. */
export function startEdgeProxy(): Promise<() => Promise<void>> {
  const upstream = new http.Agent({ keepAlive: true, localAddress: PROXY_SOURCE });
  const server = http.createServer((request, response) => {
    const client = request.socket.remoteAddress ?? '';
    const prior = request.headers['x-forwarded-for'];
    const headers = {
      ...request.headers,
      host: `127.0.0.1:${PCI_PORT}`,
      'x-forwarded-for': prior ? `${String(prior)}, ${client}` : client,
      'x-forwarded-proto': 'https',
    };
    const forwarded = http.request(
      { host: '127.0.0.1', port: PCI_PORT, method: request.method, path: request.url, headers, agent: upstream },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(forwarded);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PROXY_PORT, '127.0.0.1', () =>
      resolve(
        () =>
          new Promise<void>((done) => {
            upstream.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      ),
    );
  });
}
