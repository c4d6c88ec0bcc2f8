/** The client's network address, for per-address rate limits: the socket's peer, never a header. */
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
