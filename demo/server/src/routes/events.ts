/**
 * Server-sent event streams: the agent's own (`/agent/events`) and the visitor's conversation
 * (`/conversations/:cid/events`). One default `message` event per JSON payload with its log id
 * (`id:`), a keep-alive comment every `keepAliveMs` (which also refreshes the stream's slot), and
 * the subscription dropped when the client goes away. A reconnect that sends `Last-Event-ID`
 * first gets the events it missed (EventHub replays them from the event log).
 */
import type { Hono } from 'hono';
import { SESSION_HEADER } from '@secure-forms/shared';
import { requireSession, requireVisitor } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { eventStreamBody } from '../http/event-stream-body.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { sha256 } from '../crypto/tokens.js';
import { Refusal } from '../domain/refusal.js';
import type { Services } from '../domain/services.js';
import type { HeldStream } from '../events/hub.js';

/** Start listening; `end` ends the stream from the server's side. Returns the held stream. */
type Subscribe = (send: (payload: unknown, id: string) => void, end: () => void) => HeldStream;

/** The `Last-Event-ID` a reconnect sends, when it looks like one of ours (a log id); anything else is ignored. */
function lastEventId(c: AppContext): string | undefined {
  const id = c.req.header('Last-Event-ID');
  return id && /^[\w.-]{1,64}$/.test(id) ? id : undefined;
}

function eventStream(c: AppContext, s: Services, subscribe: Subscribe, stillAllowed: () => Promise<boolean>): Response {
  let held: HeldStream | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unregister: () => void = () => undefined;
  // Whoever ends it (the server, the bound on what it holds, the client going away): the
  // subscription, the keep-alives and the shutdown hook go with it.
  const stream = eventStreamBody(() => {
    clearTimeout(timer);
    held?.close();
    unregister();
  });
  stream.write(': connected\n\n');
  held = subscribe(stream.event, stream.end);
  if (!stream.open) held.close();
  // Graceful shutdown: what is queued goes out, then `retry:` (reconnect after that long, through
  // the balancer, to another instance), then the stream ends.
  if (stream.open) {
    unregister = s.rt.streams.add((retryMs) => {
      stream.write(`retry: ${retryMs}\n\n`);
      stream.end();
      return Promise.resolve();
    });
  }
  c.req.raw.signal.addEventListener('abort', stream.end);
  /** The next keep-alive, while the stream is open: it checks the client may still listen, refreshes its slot, and says so. */
  const nextKeepAlive = (): void => {
    if (!stream.open) return;
    timer = setTimeout(() => void keepAlive(), s.rt.keepAliveMs);
  };
  const keepAlive = async (): Promise<void> => {
    if (!stream.open) return;
    if (!(await stillAllowed())) return stream.end();
    await held?.refresh().catch(() => undefined);
    stream.write(': keep-alive\n\n');
    nextKeepAlive();
  };
  nextKeepAlive();
  // As Hono's streamSSE answers: chunked, so that the HTTP server sends the headers at once.
  c.header('Transfer-Encoding', 'chunked');
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache');
  c.header('Connection', 'keep-alive');
  return c.newResponse(stream.body);
}

/**
 * HEAD of a stream (Hono answers HEAD with the GET handler): the headers a GET would get, after the
 * same credential check, and no stream: nothing subscribes, nothing is held open.
 */
function streamHeaders(c: AppContext): Response {
  return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
}

export function eventRoutes(api: Hono<AppEnv>, s: Services): void {
  api.get('/agent/events', async (c) => {
    // Opening (or reconnecting) a stream is not activity: it must not keep an idle session alive.
    const { operator } = await requireSession(c, s, false);
    if (c.req.method === 'HEAD') return streamHeaders(c);
    const token = c.req.header(SESSION_HEADER);
    const after = lastEventId(c);
    return eventStream(
      c,
      s,
      // Tied to its session: sign-out or a lock ends the stream at once (EventHub.endAgentSessions).
      (send, end) => s.rt.hub.subscribeAgent(operator.siteId, operator.id, send, { tokenHash: sha256(token ?? ''), end }, after),
      () =>
        s.rt.accounts.authenticate(token, false).then(
          () => true,
          () => false,
        ),
    );
  });

  api.get('/conversations/:cid/events', async (c) => {
    const conversation = await requireVisitor(c, s, c.req.param('cid'));
    if (c.req.method === 'HEAD') return streamHeaders(c);
    if (conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended; start a new chat.');
    // Anonymous streams are capped per conversation and per address; the slot is freed when the stream ends.
    const site = s.rt.sites.get(conversation.siteId);
    const slot = site && (await s.rt.hub.openVisitor(conversation.id, clientAddress(c), site.visitorStreamLimit));
    const after = lastEventId(c);
    if (!slot) {
      throw new Refusal(
        'RATE_LIMITED',
        'Too many event streams are open for this chat. Close another tab of it, then try again.',
      ).retryAfter(10);
    }
    return eventStream(
      c,
      s,
      (send, end) => {
        slot.listen(send, end, after);
        return slot;
      },
      // A visitor's stream stays open while the conversation does; closing it ends the stream.
      () => Promise.resolve(true),
    );
  });
}
