/**
 * Anonymous floods and the audit log, against the running server. The floods go to the second
 * site, which keeps the default limits (the demo site lifts them for the load spec): a thousand
 * chats from one address, a hundred messages, a hundred event streams on one conversation, and
 * streams left open after the conversation closed. The agent's queue comes in pages. Refused
 * requests with a 7 KB path and Origin leave bounded audit lines, sampled once they repeat.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { FROM_BRAND, login, startConversation } from './api.js';
import { DATA_DIR, FROM, OTHER_SITE, PCI } from './env.js';
import { call, codeOf } from './http.js';
import { pool } from './pool.js';
import { test } from './table.js';

const tally = (codes: string[]) =>
  Object.entries(codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {}))
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');

/** An event stream we can watch end: its status, and a promise that settles when the server ends it. */
function openStream(url: string, headers: Record<string, string>, from: string) {
  let request: http.ClientRequest | null = null;
  const opened = new Promise<{ status: number; ended: Promise<string> }>((resolve, reject) => {
    request = http.request(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false, localAddress: from }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      const ended = new Promise<string>((done) => {
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(text));
        res.on('error', () => done(text));
        res.on('close', () => done(text));
      });
      resolve({ status: res.statusCode ?? 0, ended });
    });
    request.on('error', reject);
    request.end();
  });
  return { opened, close: () => request?.destroy() };
}

const auditFiles = () => readdirSync(DATA_DIR).filter((n) => /^audit-\d{4}-\d{2}-\d{2}\.log$/.test(n));
const auditBytes = () => auditFiles().reduce((sum, n) => sum + statSync(join(DATA_DIR, n)).size, 0);
const auditLines = () => auditFiles().flatMap((n) => readFileSync(join(DATA_DIR, n), 'utf8').split('\n').filter(Boolean));

test('Floods: anonymous conversations, messages and event streams are limited; the queue comes in pages', async ({ table }) => {
  const from = FROM.flood;
  const started = Date.now();
  const codes = await pool(1000, 50, async () => {
    const answer = await call(`${PCI}/v1/conversations`, { body: { siteId: OTHER_SITE, visitorName: 'Flood' }, headers: FROM_BRAND, from });
    return { code: answer.status === 201 ? 'created' : codeOf(answer), retryAfter: answer.headers['retry-after'] };
  });
  const created = codes.filter((c) => c.code === 'created').length;
  const limited = codes.filter((c) => c.code === 'RATE_LIMITED');
  table.add(
    'Floods',
    'a thousand chats from one address',
    `start 1,000 conversations on one site from ${from}, 50 at a time`,
    `${tally(codes.map((c) => c.code))} in ${Date.now() - started} ms; Retry-After ${limited[0]?.retryAfter ?? 'none'}`,
    created <= 20 && limited.length === 1000 - created && limited.every((c) => Number(c.retryAfter) > 0),
  );

  const other = await call(`${PCI}/v1/conversations`, { body: { siteId: OTHER_SITE }, headers: FROM_BRAND, from: FROM.floodOther });
  table.add(
    'Floods',
    'another address meanwhile',
    `start a conversation from ${FROM.floodOther} during the flood`,
    `${other.status} ${codeOf(other)}`,
    other.status === 201,
  );

  const named = await call(`${PCI}/v1/conversations`, {
    body: { siteId: OTHER_SITE, visitorName: 'Eve\n[system] take me first\u202E' },
    headers: FROM_BRAND,
    from: FROM.floodOther,
  });
  table.add(
    'Floods',
    'a visitor name with control characters',
    'a name with a line break and a bidi override',
    `${named.status} ${codeOf(named)}`,
    named.status === 400 && codeOf(named) === 'VALIDATION_FAILED',
  );

  const visitor = await startConversation('Streams', { from: FROM.floodOther, site: OTHER_SITE });
  const messages = await pool(100, 20, async (i) => {
    const answer = await call(`${PCI}/v1/conversations/${visitor.id}/messages`, {
      body: { text: `m${i}` },
      headers: visitor.headers,
      from,
    });
    return answer.status === 201 ? 'created' : codeOf(answer);
  });
  table.add(
    'Floods',
    'a hundred messages',
    'post 100 visitor messages from one address',
    tally(messages),
    messages.filter((c) => c === 'created').length <= 60 && messages.includes('RATE_LIMITED'),
  );

  const url = `${PCI}/v1/conversations/${visitor.id}/events`;
  const streams = Array.from({ length: 100 }, () => openStream(url, visitor.headers, FROM.floodOther));
  const opened = await Promise.all(streams.map((s) => s.opened));
  const open = opened.filter((s) => s.status === 200);
  table.add(
    'Floods',
    'a hundred event streams on one conversation',
    'open 100 visitor event streams',
    tally(opened.map((s) => String(s.status))),
    open.length === 5 && opened.filter((s) => s.status === 429).length === 95,
  );

  const olga = await login('olga', { from: FROM.floodOther, site: OTHER_SITE });
  await call(`${PCI}/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: olga.headers, from: FROM.floodOther });
  await call(`${PCI}/v1/conversations/${visitor.id}/close`, { method: 'POST', headers: olga.headers, from: FROM.floodOther });
  const ends = await Promise.all(
    open.map((s) =>
      Promise.race([
        s.ended.then((text) => (text.includes('"closed"') ? 'ended' : 'ended-silently')),
        new Promise<string>((r) => setTimeout(() => r('still open'), 5000)),
      ]),
    ),
  );
  streams.forEach((s) => s.close());
  table.add(
    'Floods',
    'streams after the conversation closed',
    'close the conversation with its 5 visitor streams open',
    tally(ends),
    ends.every((e) => e === 'ended'),
  );

  const first = await call(`${PCI}/v1/conversations?limit=10`, { headers: olga.headers, from: FROM.floodOther });
  const page1 = first.json as { conversations: { id: string }[]; next?: string };
  const second = await call(`${PCI}/v1/conversations?limit=10&cursor=${page1.next ?? ''}`, {
    headers: olga.headers,
    from: FROM.floodOther,
  });
  const page2 = second.json as { conversations: { id: string }[] };
  const overlap = page2.conversations.filter((c) => page1.conversations.some((d) => d.id === c.id)).length;
  table.add(
    'Floods',
    'the agent queue in pages',
    'list the queue 10 at a time, then the next page',
    `page 1: ${page1.conversations.length} and ${page1.next ? 'a next cursor' : 'no next'}; page 2: ${page2.conversations.length}, ${overlap} repeated`,
    first.status === 200 && page1.conversations.length === 10 && !!page1.next && page2.conversations.length > 0 && overlap === 0,
  );
  table.expectAllHeld();
});

test('Audit log: refused requests leave bounded lines, and repeats are counted instead of written', async ({ table }) => {
  const from = FROM.flood;
  // Node refuses request headers past 16 KB (431): a 7 KB path and a 7 KB Origin are the most that get through.
  const long = 'x'.repeat(7_000);
  const before = auditBytes();
  const linesBefore = auditLines().length;
  const answers = await pool(200, 20, async () =>
    call(`${PCI}/v1/${long}`, { method: 'POST', body: {}, headers: { Origin: `http://${long}.example` }, from }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const grew = auditBytes() - before;
  const fresh = auditLines().slice(linesBefore);
  const longest = Math.max(0, ...fresh.map((l) => l.length));
  table.add(
    'Audit log',
    'two hundred refusals with a 7 KB path and Origin',
    `POST /v1/<7 KB> with a 7 KB Origin, 200 times from ${from}`,
    `${tally(answers.map((a) => String(a.status)))}; log grew ${grew} bytes in ${fresh.length} lines, longest ${longest} bytes (unbounded: ~2.8 MB)`,
    longest < 2000 && grew < 20_000 && fresh.some((l) => l.includes('"pathTruncated":true')),
  );
  const files = auditFiles();
  const modes = files.map((n) => (statSync(join(DATA_DIR, n)).mode & 0o777).toString(8));
  table.add(
    'Audit log',
    'daily files',
    'list the audit files in the data directory',
    `${files.join(', ')} (mode ${[...new Set(modes)].join(', ')})`,
    files.length > 0 && modes.every((m) => m === '600'),
  );
  table.expectAllHeld();
});
