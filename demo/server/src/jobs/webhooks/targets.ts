/**
 * Where a webhook may go. Only https, to a host whose every address is public: a registered URL
 * must not make the PCI backend reach into its own network (server-side request forgery: the
 * metadata service, a database port, loopback admin pages). The check runs at registration and
 * again before each attempt, since a name's addresses may change in between.
 *
 * `allowPrivate` (SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE) lifts the address rule, and allows
 * plain http to a loopback host only: for tests and the local demo, never for production.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Why a target is refused (the field reason of a refused registration, the error of an attempt). */
export type TargetRefusal = 'invalid_url' | 'not_https' | 'credentials_in_url' | 'private_address' | 'unresolvable';

/** The addresses of a host name (injectable for tests). */
export type Resolve = (host: string) => Promise<string[]>;

export const resolveHost: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface TargetPolicy {
  allowPrivate: boolean;
  resolve: Resolve;
}

/** Whether every address is public unicast (ipaddr.js names the reserved ranges: private, loopback, link-local, …). */
function isPublic(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

function isLoopback(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}

/** The host of a URL as a resolver takes it (IPv6 literals without their brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** The URL's form alone (no name resolution): what registration refuses at once. */
export function checkUrlForm(raw: string, allowPrivate: boolean): TargetRefusal | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid_url';
  }
  if (url.username !== '' || url.password !== '') return 'credentials_in_url';
  if (url.protocol === 'https:') return undefined;
  // Plain http only where explicitly allowed, and then only to this machine.
  if (url.protocol === 'http:' && allowPrivate && (url.hostname === 'localhost' || isLoopback(hostOf(url)))) return undefined;
  return url.protocol === 'http:' ? 'not_https' : 'invalid_url';
}

/** The URL's form and its host's addresses: undefined when a webhook may go there now. */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<TargetRefusal | undefined> {
  const form = checkUrlForm(raw, policy.allowPrivate);
  if (form || policy.allowPrivate) return form;
  const host = hostOf(new URL(raw));
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await policy.resolve(host);
  } catch {
    return 'unresolvable';
  }
  if (addresses.length === 0) return 'unresolvable';
  return addresses.every(isPublic) ? undefined : 'private_address';
}
