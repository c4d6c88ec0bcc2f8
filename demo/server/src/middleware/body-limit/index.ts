/**
 * Refuse request bodies over `maxBytes` with PAYLOAD_TOO_LARGE, whether announced by
 * Content-Length or streamed without one (Hono's bodyLimit counts the stream).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { errorBody } from '../../http/errors.js';

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export function bodyLimit(maxBytes = DEFAULT_BODY_LIMIT): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`), 413),
  });
}
