/**
 * One webhook POST over node:http(s), not fetch: its `lookup` option lets the connection use only
 * the addresses the target policy accepts (./targets.ts), checked at connect time, so a name that
 * resolves to a public address at the check and a private one a moment later (DNS rebinding)
 * still cannot reach inside. No redirect is followed (node's client never does: a 3xx is a
 * failure); the whole attempt has a deadline; at most {@link MAX_RESPONSE_BYTES} of the answer are
 * read, and discarded.
 */
import type { LookupFunction } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup } from 'node:dns';
import { checkTarget, type TargetPolicy } from './targets.js';

/** How much of a receiver's answer is read (then the connection is dropped). */
export const MAX_RESPONSE_BYTES = 4096;

/** What an attempt came to: the status, or a stable error. */
export type AttemptResult = { status: number } | { error: 'TIMEOUT' | 'CONNECTION_FAILED' | 'RESPONSE_TOO_LARGE' | `TARGET_${string}` };

/** Send `body` with `headers` to `url` within `timeoutMs`. */
export type Transport = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<AttemptResult>;

/** The transport of the server: node's clients, each connection's addresses checked by `policy`. */
export function nodeTransport(policy: TargetPolicy): Transport {
  return async (url, headers, body, timeoutMs) => {
    const refused = await checkTarget(url, policy);
    if (refused) return { error: `TARGET_${refused.toUpperCase()}` };
    // Connect only to addresses the policy accepts: the resolution the socket uses is the one checked.
    const lookup: LookupFunction = (host, options, callback) =>
      dnsLookup(host, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 4);
        const list = addresses as unknown as { address: string; family: number }[];
        void checkTarget(url, { ...policy, resolve: () => Promise.resolve(list.map((a) => a.address)) }).then((why) => {
          if (why) return callback(Object.assign(new Error(`webhook target refused: ${why}`), { code: 'ETARGET' }), '', 4);
          if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
          callback(null, list[0]!.address, list[0]!.family);
        });
      });
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const done = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(result);
      };
      const req = send(target, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup,
        agent: false,
      });
      const timer = setTimeout(() => done({ error: 'TIMEOUT' }), timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) =>
        done(error.code === 'ETARGET' ? { error: 'TARGET_PRIVATE_ADDRESS' } : { error: 'CONNECTION_FAILED' }),
      );
      req.on('response', (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) done({ error: 'RESPONSE_TOO_LARGE' });
        });
        res.on('end', () => done({ status: res.statusCode ?? 0 }));
        res.on('error', () => done({ error: 'CONNECTION_FAILED' }));
      });
      req.end(body);
    });
  };
}
