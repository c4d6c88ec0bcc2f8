/**
 * "Bring your own chat": a brand's tiny chat server, not the Secure Forms backend. It owns its
 * conversations (in memory) and
 *  - registers each with Secure Forms and assigns it to its agent by its own agent id,
 *    handing the visitor's page the conversation token (server API, ./secure-forms.ts);
 *  - receives the signed webhooks, verifies them with @secure-forms/shared's helper, and relays
 *    a status line into the conversation's event stream (SSE);
 *  - as the brand's workspace backend, mints the agent's workspace token (./workspace-token.ts).
 * It also serves the example pages (examples/dist) under a strict CSP. Run: examples/README.md.
 */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { relative } from 'node:path';
import { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, verifyWebhook } from '@secure-forms/shared/webhooks';
import { webhookEventSchema } from '@secure-forms/shared';
import { secureFormsApi } from './secure-forms.ts';
import { workspaceTokenMinter, type WorkspaceTokenOptions } from './workspace-token.ts';
import { SANITIZED_PAGES, brandPageCsp, statusLine, type ChatLine, type ChatConversation } from './protocol.ts';

const env = (name: string) =>
  process.env[name] ??
  (() => {
    throw new Error(`Set ${name} (see examples/README.md).`);
  })();
const port = Number(process.env.CHAT_PORT ?? 8090);
const pciOrigin = env('SECURE_FORMS_PCI_ORIGIN');
const siteId = env('SECURE_FORMS_SITE_ID');
/** Our one agent: its id on our platform, which is its `externalId` in the Secure Forms sites file. */
const agent = { id: process.env.CHAT_AGENT_ID ?? 'brand-agent-alice', role: 'agent' };

const secureForms = secureFormsApi({ pciOrigin, apiCredential: env('SECURE_FORMS_API_CREDENTIAL') });
const mintWorkspaceToken = await workspaceTokenMinter({
  privateJwk: JSON.parse(env('WORKSPACE_TOKEN_KEY')) as WorkspaceTokenOptions['privateJwk'],
  issuer: env('WORKSPACE_TOKEN_ISSUER'),
  audience: env('WORKSPACE_TOKEN_AUDIENCE'),
});

const conversations = new Map<string, ChatConversation & { lines: ChatLine[] }>();
const bus = new EventEmitter().setMaxListeners(0);
const handledWebhooks = new Set<string>();

function post(conversationId: string, from: ChatLine['from'], text: string): ChatLine {
  const line = { id: randomUUID(), from, text, at: new Date().toISOString() };
  conversations.get(conversationId)?.lines.push(line);
  bus.emit(conversationId, line);
  return line;
}

const app = new Hono();
const strictHeaders = secureHeaders({ contentSecurityPolicy: brandPageCsp(pciOrigin, { sanitizer: false }) });
const sanitizerHeaders = secureHeaders({ contentSecurityPolicy: brandPageCsp(pciOrigin, { sanitizer: true }) });
app.use((c, next) => (SANITIZED_PAGES.includes(c.req.path) ? sanitizerHeaders : strictHeaders)(c, next));

// The visitor starts a chat: we register it with Secure Forms and assign it to our agent.
app.post('/api/conversations', async (c) => {
  const { visitorName } = await c.req.json<{ visitorName: string }>();
  const id = randomUUID();
  const registered = await secureForms.register(`chat-${id}`, visitorName.slice(0, 80) || 'Visitor');
  await secureForms.assign(registered.conversationId, agent.id);
  const conversation = { id, visitorName, secureFormsConversationId: registered.conversationId };
  conversations.set(id, { ...conversation, lines: [] });
  bus.emit('conversations', conversation);
  // The token goes to this visitor's page in this answer only: never in a URL, never logged.
  return c.json({ ...conversation, pciOrigin, siteId, conversationToken: registered.conversationToken }, 201);
});

// The conversation id is a random UUID that only the visitor's page and our agent know.
app.post('/api/conversations/:id/lines', async (c) => {
  const { from, text } = await c.req.json<{ from: 'visitor' | 'agent'; text: string }>();
  if (!conversations.has(c.req.param('id')) || !['visitor', 'agent'].includes(from)) return c.json({ error: 'not found' }, 404);
  return c.json(post(c.req.param('id'), from, String(text).slice(0, 2000)), 201);
});

app.get('/api/conversations/:id/events', (c) => {
  const conversation = conversations.get(c.req.param('id'));
  if (!conversation) return c.json({ error: 'not found' }, 404);
  return streamSSE(c, async (stream) => {
    const send = (line: ChatLine) => void stream.writeSSE({ data: JSON.stringify(line) });
    conversation.lines.forEach(send);
    bus.on(conversation.id, send);
    stream.onAbort(() => {
      bus.off(conversation.id, send);
    });
    while (!stream.aborted) await stream.sleep(25_000).then(() => stream.writeSSE({ event: 'ping', data: '' }));
  });
});

// Our agent's workspace: its conversations, and its workspace token for the agent panel.
// A real workspace authenticates its agent first; this example's has one agent, signed in.
app.get('/api/agent/conversations', (c) =>
  streamSSE(c, async (stream) => {
    const send = (conversation: ChatConversation) => void stream.writeSSE({ data: JSON.stringify(conversation) });
    for (const { lines: _, ...conversation } of conversations.values()) send(conversation);
    bus.on('conversations', send);
    stream.onAbort(() => {
      bus.off('conversations', send);
    });
    while (!stream.aborted) await stream.sleep(25_000).then(() => stream.writeSSE({ event: 'ping', data: '' }));
  }),
);
app.post('/api/agent/workspace-token', async (c) => {
  // Only our own pages may ask (a cross-site form post or fetch is refused).
  if (c.req.header('Sec-Fetch-Site') !== 'same-origin') return c.json({ error: 'forbidden' }, 403);
  return c.json({ token: await mintWorkspaceToken(agent.id, agent.role), siteId, pciOrigin, agentId: agent.id });
});

// The signed webhooks: verify, drop repeats, relay a status line. Answer 2xx at once.
let webhookSecret = '';
app.post('/webhooks', async (c) => {
  const rawBody = await c.req.text();
  try {
    await verifyWebhook(webhookSecret, c.req.header(WEBHOOK_SIGNATURE_HEADER), rawBody);
  } catch {
    return c.body(null, 401);
  }
  const eventId = c.req.header(WEBHOOK_ID_HEADER) ?? '';
  const event = webhookEventSchema.safeParse(JSON.parse(rawBody));
  if (handledWebhooks.has(eventId) || !event.success) return c.body(null, 204);
  handledWebhooks.add(eventId);
  for (const conversation of conversations.values()) {
    if (conversation.secureFormsConversationId === event.data.data.conversationId) {
      post(conversation.id, 'system', statusLine(event.data));
    }
  }
  return c.body(null, 204);
});

app.get('/healthz', (c) => c.text(webhookSecret ? 'ready' : 'starting', webhookSecret ? 200 : 503));

// The pages, built by Vite into examples/dist.
const dist = relative(process.cwd(), new URL('../dist', import.meta.url).pathname) || '.';
for (const [path, file] of Object.entries({
  '/': 'index.html',
  '/deep-chat': 'deep-chat.html',
  '/chatscope': 'chatscope.html',
  '/agent': 'agent.html',
})) {
  app.get(path, serveStatic({ root: dist, path: file }));
}
app.get('/assets/*', serveStatic({ root: dist }));

serve({ fetch: app.fetch, hostname: 'localhost', port }, () => {
  process.stdout.write(`Chat server on http://localhost:${port} (visitor pages /, /deep-chat, /chatscope; agent /agent)\n`);
});
webhookSecret = await secureForms.registerWebhook(`http://localhost:${port}/webhooks`);
