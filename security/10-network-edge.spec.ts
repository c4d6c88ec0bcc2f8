/**
 * The network edge. Behind a proxy every request comes from the proxy's address: junk one-time
 * keys and junk sign-ins from one client must not stop the visitors and agents behind the same
 * proxy, a forged X-Forwarded-For sent straight to the server is not believed, and a valid key is
 * accepted even from the address that is guessing. Then the small protocol rules: CORS per site,
 * JSON only, no TOTP secret on stdout, the response headers, HEAD on event streams, 413 then
 * close, WWW-Authenticate on 401, and the OTK scheme in any case.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { generateInvitationKeyPair, type ViewFormResponse } from '@secure-forms/shared';
import {
  assign,
  FROM_BRAND,
  FROM_FRAME,
  login,
  openInvitation,
  otkHeader,
  sealCard,
  sendInvitation,
  startConversation,
  type CardAnswers,
} from './api.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { startEdgeProxy } from './edge-proxy.js';
import { DATA_DIR, FROM, OTHER_BRAND, OTHER_SITE, PASSWORD, PCI, PCI_PORT, PROXY, SERVER_STDOUT, SITE, TOTP_SECRET } from './env.js';
import { call, codeOf, type HttpAnswer, type HttpOptions } from './http.js';
import { test } from './table.js';

const CARD: CardAnswers = { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA', cvv: '123' };
const junkKey = () => otkHeader(randomBytes(32).toString('base64url'));
const tally = (codes: string[]) =>
  Object.entries(codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {}))
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');

/** A request through the proxy, from `from` (the proxy appends that address to X-Forwarded-For). */
const via = (path: string, from: string, options: HttpOptions = {}) => call(`${PROXY}/v1${path}`, { ...options, from });

async function timed(run: () => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; ms: number }> {
  const started = performance.now();
  const answer = await run();
  return { answer, ms: Math.round(performance.now() - started) };
}

/** Sign in through the proxy. */
async function signInVia(username: string, from: string): Promise<{ headers: Record<string, string>; status: number }> {
  const answer = await via('/sessions', from, { body: { siteId: SITE, username, password: PASSWORD }, headers: FROM_BRAND });
  const token = (answer.json as { token?: string } | null)?.token ?? '';
  return { status: answer.status, headers: { 'Secure-Forms-Session': token, ...FROM_BRAND } };
}

/** An invitation sent by `agent` to a visitor, both through the proxy; the visitor has opened and viewed it. */
async function viewedVia(agent: Record<string, string>, agentFrom: string, visitorFrom: string) {
  const started = await via('/conversations', visitorFrom, { body: { siteId: SITE, visitorName: 'Edge Visitor' }, headers: FROM_BRAND });
  const { conversationId, conversationToken } = started.json as { conversationId: string; conversationToken: string };
  await via(`/conversations/${conversationId}/assign`, agentFrom, { method: 'POST', headers: agent });
  const keys = await generateInvitationKeyPair();
  const sent = await via(`/conversations/${conversationId}/invitations`, agentFrom, {
    headers: agent,
    body: { formId: 'card-payment', publicKey: keys.publicJwk },
  });
  const invitationId = (sent.json as { id: string }).id;
  const opened = await via(`/invitations/${invitationId}/open`, visitorFrom, {
    method: 'POST',
    headers: { 'Secure-Forms-Conversation': conversationToken, ...FROM_BRAND },
  });
  const viewOtk = (opened.json as { viewOtk: string }).viewOtk;
  return { invitationId, viewOtk };
}

let stopProxy: () => Promise<void> = () => Promise.resolve();
test.beforeAll(async () => {
  stopProxy = await startEdgeProxy();
});
test.afterAll(async () => {
  await stopProxy();
});

test('Network edge: behind a trusted proxy, a guesser stops nobody else', async ({ table }) => {
  const agent = await signInVia('alice', FROM.edgeAgent);
  const first = await viewedVia(agent.headers, FROM.edgeAgent, FROM.edgeVisitor);
  const view = await via('/forms/view', FROM.edgeVisitor, { method: 'POST', headers: { ...otkHeader(first.viewOtk), ...FROM_FRAME } });
  const form = view.json as ViewFormResponse;
  const second = await viewedVia(agent.headers, FROM.edgeAgent, FROM.edgeGuesser);

  // The guesser: 40 junk keys at once, then 31 junk sign-ins, all through the proxy.
  const guessStarted = performance.now();
  const keyAnswers = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      via(i % 2 === 0 ? '/forms/view' : '/submissions/extend', FROM.edgeGuesser, {
        method: 'POST',
        headers: { ...junkKey(), ...FROM_FRAME },
      }),
    ),
  );
  const guessMs = Math.round(performance.now() - guessStarted);
  const keyCodes = keyAnswers.map((a) => (a.status < 400 ? 'ACCEPTED' : codeOf(a)));
  const signIns: string[] = [];
  for (let i = 0; i < 31; i++) {
    const answer = await via('/sessions', FROM.edgeGuesser, {
      body: { siteId: SITE, username: `nobody-${randomBytes(4).toString('hex')}`, password: 'not-the-password-7' },
      headers: FROM_BRAND,
    });
    signIns.push(codeOf(answer));
  }
  table.add(
    'Network edge',
    'the guesser behind the proxy',
    '40 junk keys at once, then 31 junk sign-ins, from 127.0.0.101 through the proxy',
    `keys: ${tally(keyCodes)} in ${guessMs} ms; sign-ins: ${tally(signIns)}`,
    !keyCodes.includes('ACCEPTED') && signIns.at(-1) === 'RATE_LIMITED',
  );

  // Everyone else behind the same proxy, meanwhile.
  const body = await sealCard(form, CARD);
  const submit = await timed(() =>
    via('/submissions', FROM.edgeVisitor, { headers: { ...otkHeader(form.submitOtk), ...FROM_FRAME }, body }),
  );
  const submissionId = (submit.answer.json as { submissionId?: string } | null)?.submissionId ?? '';
  const retrieveOtk = await via(`/submissions/${submissionId}/retrieve-otk`, FROM.edgeAgent, { method: 'POST', headers: agent.headers });
  const retrieve = await timed(() =>
    via(`/submissions/${submissionId}/retrieve`, FROM.edgeAgent, {
      method: 'POST',
      headers: { ...agent.headers, ...otkHeader((retrieveOtk.json as { retrieveOtk: string }).retrieveOtk) },
    }),
  );
  const signIn = await signInVia('bob', FROM.edgeAgent);
  table.add(
    'Network edge',
    'a visitor and an agent behind the same proxy',
    'the visitor (127.0.0.102) submits; the agent (127.0.0.103) retrieves and bob signs in, through the proxy',
    `submit ${submit.answer.status} in ${submit.ms} ms; retrieve ${retrieve.answer.status} in ${retrieve.ms} ms; sign-in ${signIn.status}`,
    submit.answer.status === 201 && retrieve.answer.status === 200 && signIn.status === 201 && submit.ms < 2000 && retrieve.ms < 2000,
  );

  const own = await timed(() =>
    via('/forms/view', FROM.edgeGuesser, { method: 'POST', headers: { ...otkHeader(second.viewOtk), ...FROM_FRAME } }),
  );
  table.add(
    'Network edge',
    "a valid key from the guesser's own address",
    'a visitor at the guessing address (127.0.0.101) views its form through the proxy',
    `${own.answer.status} in ${own.ms} ms`,
    own.answer.status === 200 && own.ms < 2000,
  );

  // A forged X-Forwarded-For sent straight to the server names the visitor's address.
  const forged: string[] = [];
  for (let i = 0; i < 31; i++) {
    const answer = await call(`${PCI}/v1/sessions`, {
      body: { siteId: SITE, username: `nobody-${randomBytes(4).toString('hex')}`, password: 'not-the-password-7' },
      headers: { ...FROM_BRAND, 'X-Forwarded-For': FROM.edgeVisitor },
      from: FROM.edgeForger,
    });
    forged.push(codeOf(answer));
  }
  const victim = await signInVia('alice', FROM.edgeVisitor);
  table.add(
    'Network edge',
    'a forged X-Forwarded-For, sent directly',
    '31 junk sign-ins from 127.0.0.104 straight to the server naming 127.0.0.102; then alice signs in from 127.0.0.102 through the proxy',
    `forger: ${tally(forged)}; alice from the named address: ${victim.status}`,
    forged.at(-1) === 'RATE_LIMITED' && victim.status === 201,
  );

  const hstsVia = await via('/openapi.json', FROM.edgeVisitor);
  const hstsForged = await call(`${PCI}/v1/openapi.json`, { headers: { 'X-Forwarded-Proto': 'https' }, from: FROM.edgeForger });
  table.add(
    'Network edge',
    'HSTS only over TLS',
    'a request through the proxy (X-Forwarded-Proto: https); one sent directly with a forged X-Forwarded-Proto: https',
    `via the proxy: ${String(hstsVia.headers['strict-transport-security'] ?? 'none')}; forged: ${String(hstsForged.headers['strict-transport-security'] ?? 'none')}`,
    hstsVia.headers['strict-transport-security'] !== undefined && hstsForged.headers['strict-transport-security'] === undefined,
  );
  table.expectAllHeld();
});

test('Network edge: CORS per site, JSON only, headers, HEAD, 413, 401 and the OTK scheme', async ({ table }) => {
  const from = FROM.edgeVisitor;
  const alice = await login('alice', { from });
  const otherOrigin = { Origin: OTHER_BRAND };
  const forDemo = await call(`${PCI}/v1/conversations`, { body: { siteId: SITE, visitorName: 'Cora' }, headers: otherOrigin, from });
  const aliceList = await call(`${PCI}/v1/conversations`, { headers: { ...alice.headers, ...otherOrigin }, from });
  const forOther = await call(`${PCI}/v1/conversations`, { body: { siteId: OTHER_SITE, visitorName: 'Cora' }, headers: otherOrigin, from });
  const preflight = await call(`${PCI}/v1/conversations`, {
    method: 'OPTIONS',
    headers: { ...otherOrigin, 'Access-Control-Request-Method': 'POST' },
    from,
  });
  const acao = (a: HttpAnswer) => String(a.headers['access-control-allow-origin'] ?? 'none');
  table.add(
    'Network edge',
    'CORS per site',
    "site other's brand origin starts a demo chat, lists alice's demo queue, starts an other chat, preflights",
    `demo chat ${forDemo.status} ${codeOf(forDemo)} (ACAO ${acao(forDemo)}); demo queue ${aliceList.status} (ACAO ${acao(aliceList)}); other chat ${forOther.status} (ACAO ${acao(forOther)}); preflight ${preflight.status}`,
    codeOf(forDemo) === 'ORIGIN_NOT_ALLOWED' &&
      acao(forDemo) === 'none' &&
      codeOf(aliceList) === 'ORIGIN_NOT_ALLOWED' &&
      acao(aliceList) === 'none' &&
      forOther.status === 201 &&
      acao(forOther) === OTHER_BRAND &&
      preflight.status === 204,
  );

  const textPlain = await call(`${PCI}/v1/conversations`, {
    body: JSON.stringify({ siteId: SITE, visitorName: 'Tex' }),
    headers: { ...FROM_BRAND, 'Content-Type': 'text/plain' },
    from,
  });
  table.add(
    'Network edge',
    'JSON only',
    'start a chat with the JSON body sent as text/plain (a CORS simple request)',
    `${textPlain.status} ${codeOf(textPlain)}`,
    textPlain.status === 415 && codeOf(textPlain) === 'UNSUPPORTED_MEDIA_TYPE',
  );

  const stdout = existsSync(SERVER_STDOUT) ? readFileSync(SERVER_STDOUT, 'utf8') : '';
  const enrolment = join(DATA_DIR, 'totp-enrolment.txt');
  const mode = existsSync(enrolment) ? (statSync(enrolment).mode & 0o777).toString(8) : 'missing';
  const inFile = existsSync(enrolment) && readFileSync(enrolment, 'utf8').includes('otpauth://');
  table.add(
    'Network edge',
    'no TOTP secret in the banner',
    "scan the server's stdout for otpauth links and the TOTP secret; look for the enrolment file",
    `stdout: ${stdout.includes('otpauth://') || stdout.includes(TOTP_SECRET) ? 'HOLDS A SECRET' : 'no link, no secret'}; names the file: ${stdout.includes(enrolment)}; file mode ${mode}, holds the links: ${inFile}`,
    !stdout.includes('otpauth://') && !stdout.includes(TOTP_SECRET) && stdout.includes(enrolment) && mode === '600' && inFile,
  );

  const plain = await call(`${PCI}/v1/openapi.json`, { from });
  table.add(
    'Network edge',
    'resource policy and permissions',
    'GET /v1/openapi.json directly',
    `Cross-Origin-Resource-Policy ${String(plain.headers['cross-origin-resource-policy'] ?? 'none')}; Permissions-Policy ${plain.headers['permissions-policy'] ? 'set' : 'none'}; HSTS ${plain.headers['strict-transport-security'] ? 'set' : 'none (plain HTTP)'}`,
    plain.headers['cross-origin-resource-policy'] === 'same-origin' &&
      String(plain.headers['permissions-policy'] ?? '').includes('camera=()') &&
      plain.headers['strict-transport-security'] === undefined,
  );

  const head = await timed(() => call(`${PCI}/v1/agent/events`, { method: 'HEAD', headers: alice.headers, from, timeoutMs: 5000 }));
  table.add(
    'Network edge',
    'HEAD on an event stream',
    "HEAD /v1/agent/events with alice's session",
    `${head.answer.status} ${String(head.answer.headers['content-type'] ?? '')}, ended after ${head.ms} ms`,
    head.answer.status === 200 && String(head.answer.headers['content-type']).startsWith('text/event-stream') && head.ms < 3000,
  );

  const tooLarge = await new Promise<{ text: string; closed: boolean }>((resolve) => {
    const socket = net.connect({ port: PCI_PORT, host: '127.0.0.1', localAddress: from });
    let text = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => (closed = true));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closed }));
    socket.write(
      `POST /v1/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 300000\r\n\r\n${'x'.repeat(1000)}`,
    );
    setTimeout(() => socket.write(`${'x'.repeat(1000)}GET /v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, () => undefined), 300);
    setTimeout(() => socket.destroy(), 3000);
  });
  const answers = tooLarge.text.match(/HTTP\/1\.1 \d+/g) ?? [];
  table.add(
    'Network edge',
    '413, then the connection is closed',
    'a raw socket announces 300,000 bytes, sends 1,000, then more and a second request',
    `${answers.join(', ') || 'no answer'}; Connection: close ${/connection: close/i.test(tooLarge.text)}; closed by the server: ${tooLarge.closed}`,
    answers.length === 1 && answers[0] === 'HTTP/1.1 413' && /connection: close/i.test(tooLarge.text) && tooLarge.closed,
  );

  const noKey = await call(`${PCI}/v1/forms/view`, { method: 'POST', headers: FROM_FRAME, from });
  const noSession = await call(`${PCI}/v1/conversations`, { headers: FROM_BRAND, from });
  table.add(
    'Network edge',
    'WWW-Authenticate on 401',
    'view a form without a key; list the queue without a session',
    `${noKey.status} ${String(noKey.headers['www-authenticate'] ?? 'none')}; ${noSession.status} ${String(noSession.headers['www-authenticate'] ?? 'none')}`,
    noKey.status === 401 &&
      noKey.headers['www-authenticate'] === 'OTK realm="secure-forms"' &&
      noSession.status === 401 &&
      noSession.headers['www-authenticate'] === 'Secure-Forms-Session realm="secure-forms"',
  );

  const visitor = await startConversation('Lower Case', { from });
  await assign(alice, visitor.id, from);
  const sent = await sendInvitation(alice, visitor.id, { from });
  const viewOtk = await openInvitation(visitor, sent.invitationId, from);
  const lower = await call(`${PCI}/v1/forms/view`, { method: 'POST', headers: { Authorization: `otk ${viewOtk}`, ...FROM_FRAME }, from });
  table.add(
    'Network edge',
    'the OTK scheme in any case',
    'view a form with Authorization: otk <key>',
    `${lower.status}`,
    lower.status === 200,
  );
  table.expectAllHeld();
});
