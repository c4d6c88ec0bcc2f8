/**
 * Server-sent event streams: the agent's own (`/agent/events`) and the visitor's conversation
 * (`/conversations/:cid/events`). One default `message` event per JSON payload, a keep-alive
 * comment every `keepAliveMs`, and the subscription dropped when the client goes away.
 */
import type { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { SESSION_HEADER } from '@secure-forms/shared';
import { requireSession, requireVisitor } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { sha256 } from '../crypto/tokens.js';
import { Refusal } from '../domain/refusal.js';
import type { Services } from '../domain/services.js';

/** Start listening; `end` ends the stream from the server's side. Returns the unsubscribe. */
type Subscribe = (send: (payload: unknown) => void, end: () => void) => () => void;

function eventStream(c: AppContext, s: Services, subscribe: Subscribe, stillAllowed: () => Promise<boolean>): Response {
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let chain: Promise<unknown> = Promise.resolve();
    const send = (payload: unknown) => {
      chain = chain
        .then(() => (stream.closed || stream.aborted ? undefined : stream.writeSSE({ data: JSON.stringify(payload) })))
        .catch(() => undefined);
    };
    let unsubscribe: () => void = () => undefined;
    let done = false;
    let wake: () => void = () => undefined;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      wake();
    };
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    unsubscribe = subscribe(send, finish);
    // Graceful shutdown: what is queued goes out, then `retry:` (reconnect after that long, through
    // the balancer, to another instance), then the stream ends.
    const unregister = s.rt.streams.add(async (retryMs) => {
      chain = chain
        .then(() => (stream.closed || stream.aborted ? undefined : stream.write(`retry: ${retryMs}\n\n`)))
        .catch(() => undefined);
      finish();
      await chain;
    });
    stream.onAbort(finish);
    c.req.raw.signal.addEventListener('abort', () => {
      finish();
      if (!stream.aborted) stream.abort();
    });
    try {
      await stream.write(': connected\n\n');
      while (!done && !stream.aborted && !stream.closed) {
        await pause(s.rt.keepAliveMs);
        if (done || stream.aborted || stream.closed) break;
        if (!(await stillAllowed())) break;
        chain = chain.then(() => stream.write(': keep-alive\n\n')).catch(() => finish());
        await chain;
      }
    } finally {
      unregister();
      finish();
      // What was sent last (a conversation's "closed") goes out before the stream ends.
      await chain;
    }
  });
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
    return eventStream(
      c,
      s,
      // Tied to its session: sign-out or a lock ends the stream at once (EventHub.endAgentSessions).
      (send, end) => s.rt.hub.subscribeAgent(operator.siteId, operator.id, send, { tokenHash: sha256(token ?? ''), end }),
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
    const slot = site && s.rt.hub.openVisitor(conversation.id, clientAddress(c), site.visitorStreamLimit);
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
        slot.listen(send, end);
        return () => slot.close();
      },
      // A visitor's stream stays open while the conversation does; closing it ends the stream.
      () => Promise.resolve(true),
    );
  });
}
