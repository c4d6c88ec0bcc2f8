/**
 * Server-sent event streams: the agent's own (`/agent/events`) and the visitor's conversation
 * (`/conversations/:cid/events`). One default `message` event per JSON payload, a keep-alive
 * comment every `keepAliveMs`, and the subscription dropped when the client goes away.
 */
import type { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { SESSION_HEADER } from '@secure-forms/shared';
import { requireSession, requireVisitor } from '../http/auth.js';
import type { AppContext, AppEnv } from '../http/context.js';
import type { Services } from '../services.js';

type Subscribe = (send: (payload: unknown) => void) => () => void;

function eventStream(c: AppContext, s: Services, subscribe: Subscribe, stillAllowed: () => Promise<boolean>): Response {
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let chain: Promise<unknown> = Promise.resolve();
    const send = (payload: unknown) => {
      chain = chain
        .then(() => (stream.closed || stream.aborted ? undefined : stream.writeSSE({ data: JSON.stringify(payload) })))
        .catch(() => undefined);
    };
    const unsubscribe = subscribe(send);
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
      finish();
    }
  });
}

export function eventRoutes(api: Hono<AppEnv>, s: Services): void {
  api.get('/agent/events', async (c) => {
    const { operator } = await requireSession(c, s);
    const token = c.req.header(SESSION_HEADER);
    return eventStream(
      c,
      s,
      (send) => s.rt.hub.subscribeAgent(operator.siteId, operator.id, send),
      () =>
        s.rt.accounts.authenticate(token, false).then(
          () => true,
          () => false,
        ),
    );
  });

  api.get('/conversations/:cid/events', async (c) => {
    const conversation = await requireVisitor(c, s, c.req.param('cid'));
    return eventStream(
      c,
      s,
      (send) => s.rt.hub.subscribeVisitor(conversation.id, send),
      // A visitor's stream stays open while the conversation does (nothing to re-check).
      () => Promise.resolve(true),
    );
  });
}
