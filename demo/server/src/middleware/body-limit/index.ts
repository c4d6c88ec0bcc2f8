/**
 * Refuse request bodies over `maxBytes` with PAYLOAD_TOO_LARGE, whether announced by
 * Content-Length or streamed without one (Hono's bodyLimit counts the stream), and close the
 * connection after the answer: the unread rest of the body would otherwise be taken for the next
 * request on a kept-alive connection.
 *
 * On an HTTP/1.x connection the headers already say everything: Node's parser has checked
 * Content-Length, and a request with neither Content-Length nor Transfer-Encoding has no body. So
 * those requests are decided from the headers alone, without touching `c.req.raw.body`, which
 * would make @hono/node-server build a full fetch Request with a body stream for every request,
 * bodyless POSTs included (about a fifth of the server's CPU per round trip). A chunked body, or a
 * request that did not come from Node's HTTP/1 server (tests calling `app.request`), goes through
 * Hono's bodyLimit, which counts the stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { refuse } from '../../http/errors.js';

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export function bodyLimit(maxBytes = DEFAULT_BODY_LIMIT): MiddlewareHandler {
  // The rest of the body is not read, so the connection cannot carry another request: say so,
  // and Node's HTTP server ends the socket once this answer is written (`Connection: close`).
  const tooLarge = (c: Context) =>
    refuse(c, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes. Send a smaller body.`, 413, {
      Connection: 'close',
    });
  const counted = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming?.httpVersionMajor === 1 && incoming.headers['transfer-encoding'] === undefined) {
      const length = incoming.headers['content-length'];
      if (length === undefined) return next();
      return Number.parseInt(length, 10) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    }
    return counted(c, next);
  };
}
