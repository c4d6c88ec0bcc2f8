/**
 * Refuse request bodies over `maxBytes` with PAYLOAD_TOO_LARGE, whether announced by
 * Content-Length or streamed without one (Hono's bodyLimit counts the stream), and close the
 * connection after the answer: the unread rest of the body would otherwise be taken for the next
 * request on a kept-alive connection.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { refuse } from '../../http/errors.js';

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export function bodyLimit(maxBytes = DEFAULT_BODY_LIMIT): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    // The rest of the body is not read, so the connection cannot carry another request: say so,
    // and Node's HTTP server ends the socket once this answer is written (`Connection: close`).
    onError: (c) =>
      refuse(c, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes. Send a smaller body.`, 413, {
        Connection: 'close',
      }),
  });
}
