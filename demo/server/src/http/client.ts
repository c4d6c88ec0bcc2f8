/**
 * Who the client is, at the network edge: its address (for per-address rate limits and the audit
 * trail) and whether its request came over TLS (for HSTS).
 *
 * By default that is the socket's peer and nothing else: a header can be written by anyone. Behind
 * a TLS proxy or a load balancer every request comes from the proxy's address, so an operator lists
 * the proxies in `SECURE_FORMS_TRUSTED_PROXIES` (CIDRs); then `X-Forwarded-For` is walked from the
 * right, believing each hop only while the address that added it is a trusted proxy, and the first
 * untrusted hop is the client (proxy-addr, the library Express uses for the same walk). The
 * RFC 7239 `Forwarded` header is not read: a proxy that sends only it leaves the peer as the client.
 *
 * The trusted-proxies middleware works this out once per request and records it here; a request
 * that did not pass through it (the brand app, a test of one middleware) gets the socket's peer.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';

/** Whether the address that sent or forwarded a request is a trusted proxy (`hop` 0 is the socket's peer). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** What the edge believes about a request's client. */
export interface ClientInfo {
  /** The client's IP address, or 'unknown' when the socket has none (a closed connection). */
  address: string;
  /** Whether the request reached us over TLS: directly, or through a trusted proxy that says so. */
  secure: boolean;
}

/** A SECURE_FORMS_TRUSTED_PROXIES value that is not a list of addresses and CIDRs. */
export class TrustedProxiesError extends Error {
  override readonly name = 'TrustedProxiesError';
}

/** Trust nobody: the socket's peer is the client. */
export const TRUST_NO_PROXY: ProxyTrust = () => false;

/**
 * Parse a comma-separated list of IP addresses and CIDRs (IPv4 or IPv6; also proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`). Empty or unset: no proxy is trusted.
 */
export function parseTrustedProxies(setting: string | undefined): string[] {
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    try {
      proxyaddr.compile(entry);
    } catch {
      throw new TrustedProxiesError(
        `SECURE_FORMS_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8). List the addresses of your TLS proxies, separated by commas, or leave it empty to trust none.`,
      );
    }
  }
  return entries;
}

/** The trust function for a parsed list; none trusted when the list is empty. */
export function compileTrust(proxies: readonly string[]): ProxyTrust {
  return proxies.length === 0 ? TRUST_NO_PROXY : proxyaddr.compile([...proxies]);
}

function socketOf(c: Context): { remoteAddress?: string; encrypted?: boolean } | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } } | undefined)?.incoming?.socket;
}

/** Work out the client of this request under `trust` (the trusted-proxies middleware calls it once). */
export function resolveClient(c: Context, trust: ProxyTrust): ClientInfo {
  const socket = socketOf(c);
  const peer = socket?.remoteAddress;
  if (!peer) return { address: 'unknown', secure: false };
  const forwardedFor = c.req.header('X-Forwarded-For');
  // proxy-addr reads the peer and the X-Forwarded-For header of a node request; these two fields
  // are all it reads, and building them from the Fetch request keeps it working under app.request().
  const request = { socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } };
  const address = trust === TRUST_NO_PROXY ? peer : proxyaddr(request as unknown as IncomingMessage, trust);
  // As Express does: the scheme is believed from the first X-Forwarded-Proto value only when the
  // peer itself is a trusted proxy.
  const proto = trust(peer, 0) ? c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  return { address, secure: socket.encrypted === true || proto === 'https' };
}

// Keyed by the request's context: Hono's bodyLimit replaces `c.req.raw` when it wraps a streamed body.
const known = new WeakMap<Context, ClientInfo>();

/** Record what the edge worked out for this request. */
export function rememberClient(c: Context, info: ClientInfo): void {
  known.set(c, info);
}

function clientOf(c: Context): ClientInfo {
  return known.get(c) ?? resolveClient(c, TRUST_NO_PROXY);
}

/** The client's network address, for per-address limits and the audit trail. */
export function clientAddress(c: Context): string {
  return clientOf(c).address;
}

/** Whether the request came over TLS (directly, or via a trusted proxy's X-Forwarded-Proto: https). */
export function isSecureRequest(c: Context): boolean {
  return clientOf(c).secure;
}
