/**
 * The API reads JSON only: a request that carries a body, or a Content-Type, must say
 * `application/json` (parameters such as charset allowed), else 415 UNSUPPORTED_MEDIA_TYPE before
 * anything reads it. Besides being honest about what is parsed, this keeps every cross-origin
 * browser request with a body out of the CORS "simple request" class (text/plain, form posts):
 * such a request is always preflighted, so the origin check runs before it is sent.
 *
 * The one exception is a route named in `plainText`: it also takes a `text/plain` body (a CORS
 * simple request, sent without a preflight, so a browser saves a round trip). Such a route must
 * check the request's Origin for the site it concerns before it acts, as every route does, and
 * read only a small body (its own body limit).
 */
import type { MiddlewareHandler } from 'hono';
import { refuse } from '../../http/errors.js';

/** Whether a Content-Type header names JSON (`application/json`, any parameters, any case). */
export function isJsonMediaType(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function hasBody(headers: { header(name: string): string | undefined }): boolean {
  const length = headers.header('Content-Length');
  if (length !== undefined) return length.trim() !== '0';
  return headers.header('Transfer-Encoding') !== undefined;
}

/** Whether a Content-Type header names plain text (`text/plain`, any parameters, any case). */
export function isPlainTextMediaType(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'text/plain';
}

/** A route that may also take a `text/plain` body: its method and a pattern of its whole path. */
export interface PlainTextRoute {
  method: string;
  path: RegExp;
}

/**
 * Refuse request bodies that are not `application/json` with UNSUPPORTED_MEDIA_TYPE (415); the
 * routes in `plainText` may also take `text/plain`.
 */
export function jsonOnly(plainText: readonly PlainTextRoute[] = []): MiddlewareHandler {
  const takesText = (method: string, path: string) => plainText.some((r) => r.method === method && r.path.test(path));
  return (c, next) => {
    const contentType = c.req.header('Content-Type');
    if (contentType !== undefined && isPlainTextMediaType(contentType) && takesText(c.req.method, c.req.path)) return next();
    if (contentType === undefined ? hasBody(c.req) : !isJsonMediaType(contentType)) {
      return Promise.resolve(
        refuse(c, 'UNSUPPORTED_MEDIA_TYPE', 'The API reads JSON only. Send the body with Content-Type: application/json.', 415, {
          Accept: 'application/json',
        }),
      );
    }
    return next();
  };
}
