/**
 * A round-robin reverse proxy in front of one origin of several server instances, for the cluster
 * tests and the bench: what nginx or a cloud load balancer does in a deployment.
 *
 * Written on node:http rather than taken from npm (http-proxy, http-proxy-3, http-proxy-middleware)
 * because of one rule those stream past: like nginx's `proxy_next_upstream error`, a request an
 * instance refuses to connect is tried on the next instance, which needs the request body kept to
 * send again; those libraries pipe the body once. The rest is small: bodies are buffered (the
 * API's are a few kB; the server refuses more), answers are streamed as they come (server-sent
 * events included), and the client's address is appended to X-Forwarded-For, which the instances
 * believe because the proxy connects from the address they trust (SECURE_FORMS_TRUSTED_PROXIES).
 *
 * Each answer says which instance served it in {@link INSTANCE_HEADER}, so that a test can count
 * where consecutive requests landed.
 */
import http from 'node:http';

/** The response header naming the instance (its index, from 0) that served the request. */
export const INSTANCE_HEADER = 'x-secure-forms-instance';

/** The most body the proxy keeps to send again (the server's own limit is far below it). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

export interface Upstream {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** The port to listen on. */
  port: number;
  /** The host to listen on: `127.0.0.1` for the PCI origin, `localhost` for the brand origin (as the server). */
  host: string;
  upstreams: readonly Upstream[];
  /** The loopback address the proxy connects to the instances from (the one they trust); default any. */
  sourceAddress?: string;
}

export interface RunningProxy {
  /** Requests answered by each instance, by index. */
  readonly served: number[];
  /** Requests passed to the next instance because one refused the connection. */
  readonly retried: number;
  /** Event streams open now through each instance, by index. */
  readonly streams: number[];
  stop(): Promise<void>;
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/** Whether nothing of the request can have reached the instance, so another may take it. */
function neverReached(error: NodeJS.ErrnoException, request: http.ClientRequest, method: string): boolean {
  if (error.code === 'ECONNREFUSED') return true;
  // A kept-alive connection the instance closed (it was killed) fails on its next use; that is
  // safe to send again only for a request that changes nothing, as nginx does.
  return request.reusedSocket && error.code === 'ECONNRESET' && (method === 'GET' || method === 'HEAD');
}

/** Start the proxy; resolves once it listens. */
export function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}),
  });
  const served = options.upstreams.map(() => 0);
  const streams = options.upstreams.map(() => 0);
  let next = 0;
  let retried = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const client = request.socket.remoteAddress ?? '';
      const prior = request.headers['x-forwarded-for'];
      const headers = {
        ...withoutHopByHop(request.headers),
        'x-forwarded-for': prior ? `${String(prior)}, ${client}` : client,
        ...(body.length > 0 ? { 'content-length': String(body.length) } : {}),
      };
      const method = request.method ?? 'GET';
      const first = next++ % options.upstreams.length;
      const attempt = (tries: number) => {
        const index = (first + tries) % options.upstreams.length;
        const upstream = options.upstreams[index]!;
        const forwarded = http.request(
          { host: upstream.host, port: upstream.port, method, path: request.url, headers, agent },
          (answer) => {
            served[index]!++;
            if (String(answer.headers['content-type']).startsWith('text/event-stream')) {
              streams[index]!++;
              response.once('close', () => streams[index]!--);
            }
            response.writeHead(answer.statusCode ?? 502, { ...withoutHopByHop(answer.headers), [INSTANCE_HEADER]: String(index) });
            // An event stream's first bytes may be a while coming: the client learns now that it is open.
            response.flushHeaders();
            answer.pipe(response);
            // The instance died mid-answer: the client must see the drop (an event stream reconnects).
            answer.on('aborted', () => response.destroy());
            answer.on('error', () => response.destroy());
          },
        );
        forwarded.on('error', (error: NodeJS.ErrnoException) => {
          if (!response.headersSent && tries + 1 < options.upstreams.length && neverReached(error, forwarded, method)) {
            retried++;
            attempt(tries + 1);
            return;
          }
          // The cause in the body, so that a test that sees this 502 can say why.
          if (!response.headersSent)
            response.writeHead(502, { 'content-type': 'text/plain' }).end(`No instance answered (${error.code ?? error.message}).`);
          else response.destroy();
        });
        // The client left (a closed event stream): stop the instance's side too.
        response.on('close', () => forwarded.destroy());
        forwarded.end(body);
      };
      attempt(0);
    });
  });
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () =>
      resolve({
        served,
        streams,
        get retried() {
          return retried;
        },
        stop: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
