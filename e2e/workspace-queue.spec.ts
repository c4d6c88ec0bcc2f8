/**
 * The agent workspace's queue, page by page: where focus goes when "Show older conversations"
 * brings a page (WCAG 2.4.3), and that one press goes past pages with nothing to show; that the
 * queue says nothing untrue while its first page loads; that conversations events bring, or whose
 * state changes, stand where the server's order puts them, focus staying with them (or going to
 * the next one when theirs closes); and that an answer asked for under one operator's session (a
 * page of the queue, a transcript, the admin's operator list, the passkey list, a password change,
 * the admin's passkey reset) never reaches the next operator's workspace, nor is said to them.
 * The pages of the queue are made up here (the rest of the suite's conversations would make their
 * number and order vary); the requests still go to the server, for its session check and CORS.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP, PCI_ORIGIN } from './support.js';
import { virtualAuthenticator } from './virtual-authenticator.js';

interface QueuePage {
  conversations: ReturnType<typeof visitor>[];
  next?: string;
}

/** A made-up conversation in the queue: "Queue visitor <n>", waiting unless `state` says otherwise. */
function visitor(n: number, state: 'waiting' | 'closed' = 'waiting') {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    siteId: 'demo',
    state,
    visitorName: `Queue visitor ${n}`,
    assignedAgentId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1) - n * 60_000).toISOString(),
  };
}

const visitors = (from: number, to: number, state?: 'waiting' | 'closed') =>
  Array.from({ length: to - from + 1 }, (_, i) => visitor(from + i, state));

/**
 * Answer the workspace's queue requests with `pages`, by cursor ("first" for the first page);
 * a page given as 'fail' fails as a network error does. `gate`, when given, holds every answer,
 * and `held` the answers to the pages it names, each until its promise settles: the server has
 * answered by then (its session check passed), the made-up page is on its way. With `session`,
 * only the requests made with that session token are answered here; the others go to the server.
 */
async function serveQueue(
  page: Page,
  pages: Record<string, QueuePage | 'fail'>,
  options: { gate?: Promise<void>; held?: Record<string, Promise<void>>; session?: string } = {},
): Promise<void> {
  await page.route(/\/v1\/conversations(\?.*)?$/, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    if (options.session !== undefined && route.request().headers()['secure-forms-session'] !== options.session) return route.fallback();
    const url = new URL(route.request().url());
    const cursor = url.searchParams.get('cursor') ?? 'first';
    const answer = pages[cursor];
    if (answer === undefined || answer === 'fail') {
      await options.gate;
      return route.abort('failed');
    }
    // The server asked for its first page (the made-up cursors are none of its own): its answer
    // brings the session check and the CORS headers, and the made-up page replaces its body.
    url.search = '';
    const response = await route.fetch({ url: url.href });
    await options.gate;
    await options.held?.[cursor];
    // A request the page gave up on (aborted) meanwhile cannot be answered any more.
    await route.fulfill({ response, json: answer }).catch(() => undefined);
  });
}

/**
 * One sign-in for the whole file, made once through the API: this file's tests, each signing in
 * right after the suite's others, went past the demo's sign-in limits (10 a minute per operator, 30
 * per address; the suite's server now allows more, playwright.config.ts), and a sign-in per test
 * would only slow it down. Each page still signs in through its form, and its request is answered
 * with this session (sign-in itself is the subject of other specs). Bob, a second agent, signs in
 * once too: he takes conversations, and signs in after alice signs out.
 */
let session: Session;
let bob: Session;

interface Session {
  token: string;
  operator: { id: string };
}

async function apiSignIn(request: APIRequestContext, username: string): Promise<Session> {
  const login = await request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username, password: DEMO_PASSWORD } });
  expect(login.status()).toBe(201);
  return (await login.json()) as Session;
}

test.beforeAll(async ({ request }) => {
  session = await apiSignIn(request, 'alice');
  bob = await apiSignIn(request, 'bob');
});

/**
 * Sign-outs answered here, not by the server: the session signed out stays valid, so the tests
 * below reuse the file's sessions instead of signing in for each (every sign-in counts towards
 * the operator's and the address's limits, shared with the other specs).
 * What they test is the page dropping late answers; the server's end of a session is tested elsewhere.
 */
async function keepSessionAtSignOut(page: Page): Promise<void> {
  await page.route(`${PCI_ORIGIN}/v1/sessions/current`, (route) =>
    route.request().method() === 'DELETE' ? route.fulfill({ status: 204, body: '' }) : route.fallback(),
  );
}

/** Fill and submit the workspace's sign-in form as `username`; the request is answered with `answer`. */
async function fillSignIn(page: Page, username: string, answer: Session): Promise<void> {
  await page.route(`${PCI_ORIGIN}/v1/sessions`, (route) =>
    route.request().method() === 'POST' ? route.fulfill({ status: 201, json: answer }) : route.fallback(),
  );
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Sign in as alice through the workspace's form (answered with the file's session, or `answer`). */
async function submitSignIn(page: Page, answer: Session = session): Promise<void> {
  await page.goto('/agent');
  await fillSignIn(page, 'alice', answer);
}

async function signIn(page: Page, answer?: Session): Promise<void> {
  await submitSignIn(page, answer);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
}

/** Press "Show older conversations" with the keyboard, as a screen-reader or keyboard user does. */
async function showOlder(page: Page): Promise<void> {
  const older = page.getByRole('button', { name: 'Show older conversations' });
  await older.focus();
  await page.keyboard.press('Enter');
}

const item = (page: Page, name: string) => page.getByRole('listitem', { name, exact: true });

test('the last page of the queue: focus moves to its first conversation, named with its state, and on to its button', async ({ page }) => {
  await serveQueue(page, { first: { conversations: visitors(1, 50), next: 'older-1' }, 'older-1': { conversations: visitors(51, 53) } });
  await signIn(page);
  await showOlder(page);
  await expect(item(page, 'Queue visitor 51 Waiting')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toHaveCount(0);
  await expect(page.getByRole('listitem')).toHaveCount(53);
  const axe = await new AxeBuilder({ page })
    .include('#conversations')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await expect(item(page, 'Queue visitor 51 Waiting')).toBeFocused();
  // The reading and keyboard order goes on from the new conversation, not from the top of the page.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Take conversation with Queue visitor 51' })).toBeFocused();
});

test('a page with more after it: focus moves to its first conversation each time, and "Show older conversations" stays last', async ({
  page,
}) => {
  await serveQueue(page, {
    first: { conversations: visitors(1, 50), next: 'older-1' },
    'older-1': { conversations: visitors(51, 100), next: 'older-2' },
    'older-2': { conversations: visitors(101, 102) },
  });
  await signIn(page);
  await showOlder(page);
  await expect(item(page, 'Queue visitor 51 Waiting')).toBeFocused();
  await expect(page.getByRole('listitem').last()).toHaveText('Show older conversations');
  await showOlder(page);
  await expect(item(page, 'Queue visitor 101 Waiting')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toHaveCount(0);
});

test('a last page with nothing new to show: the status says so and focus goes to the last conversation, not the body', async ({ page }) => {
  // An agent does not see closed conversations, and the queue ranks them last: a whole page of them adds nothing.
  await serveQueue(page, {
    first: { conversations: visitors(1, 50), next: 'older-1' },
    'older-1': { conversations: visitors(51, 60, 'closed') },
  });
  await signIn(page);
  await showOlder(page);
  await expect(page.getByRole('status')).toHaveText('No older conversations.');
  await expect(item(page, 'Queue visitor 50 Waiting')).toBeFocused();
  await expect(page.getByRole('listitem')).toHaveCount(50);
});

test('older pages that hold only conversations an agent does not see: one press goes on to the next one they see', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().includes('cursor=')) asked.push(new URL(r.url()).searchParams.get('cursor') ?? '');
  });
  await serveQueue(page, {
    first: { conversations: visitors(1, 50), next: 'older-1' },
    'older-1': { conversations: visitors(51, 100, 'closed'), next: 'older-2' },
    'older-2': { conversations: visitors(101, 150, 'closed'), next: 'older-3' },
    'older-3': { conversations: visitors(151, 152), next: 'older-4' },
    'older-4': { conversations: visitors(153, 154) },
  });
  await signIn(page);
  await showOlder(page);
  await expect(item(page, 'Queue visitor 151 Waiting')).toBeFocused();
  // It stops at the page that brought someone: the next press asks for the one after it.
  expect(asked).toEqual(['older-1', 'older-2', 'older-3']);
  await expect(page.getByRole('listitem').last()).toHaveText('Show older conversations');
});

test('five pages with nothing new to show and more after them: the status says so, focus stays on "Show older conversations", and the next press goes on', async ({
  page,
}) => {
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().includes('cursor=')) asked.push(new URL(r.url()).searchParams.get('cursor') ?? '');
  });
  const closedPage = (n: number) => ({ conversations: visitors(41 + 10 * n, 50 + 10 * n, 'closed'), next: `older-${n + 1}` });
  await serveQueue(page, {
    first: { conversations: visitors(1, 50), next: 'older-1' },
    ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`older-${n}`, closedPage(n)])),
    'older-7': { conversations: visitors(111, 112) },
  });
  await signIn(page);
  await showOlder(page);
  await expect(page.getByRole('status')).toHaveText('No conversations to show on the next 5 pages. There are older ones still.');
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toBeFocused();
  expect(asked).toEqual(['older-1', 'older-2', 'older-3', 'older-4', 'older-5']);
  await page.keyboard.press('Enter');
  await expect(item(page, 'Queue visitor 111 Waiting')).toBeFocused();
  expect(asked).toEqual(['older-1', 'older-2', 'older-3', 'older-4', 'older-5', 'older-6', 'older-7']);
});

test('focus moved elsewhere while a page loads stays there, and a second press meanwhile asks for the page once', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().includes('cursor=')) asked.push(r.url());
  });
  await serveQueue(page, { first: { conversations: visitors(1, 50), next: 'older-1' }, 'older-1': { conversations: visitors(51, 53) } });
  await signIn(page);
  await page.route(/cursor=older-1/, async (route) => {
    await held;
    await route.fallback();
  });
  await showOlder(page);
  await page.keyboard.press('Enter');
  await expect.poll(() => asked.length).toBe(1);
  await page.getByRole('heading', { name: 'Conversations' }).focus();
  release();
  await expect(item(page, 'Queue visitor 51 Waiting')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  expect(asked).toHaveLength(1);
});

test('a page that fails to load: the status says so and focus stays on "Show older conversations"', async ({ page }) => {
  await serveQueue(page, { first: { conversations: visitors(1, 50), next: 'older-1' }, 'older-1': 'fail' });
  await signIn(page);
  await showOlder(page);
  await expect(page.getByRole('status')).toHaveText(/^Something went wrong \(.+\)\. Try again\.$/);
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toBeFocused();
});

test('"No conversations yet" shows only once the first page has loaded empty; meanwhile the queue says it is loading', async ({ page }) => {
  let release!: () => void;
  await serveQueue(page, { first: { conversations: [] } }, { gate: new Promise<void>((resolve) => (release = resolve)) });
  await submitSignIn(page);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  const empty = page.getByText('No conversations yet.');
  const loading = page.getByRole('region', { name: 'Conversations' }).getByText('Loading conversations…');
  await expect(loading).toBeVisible();
  await expect(empty).toBeHidden();
  // Still loading a moment later: nothing untrue has been said meanwhile.
  await page.waitForTimeout(500);
  await expect(empty).toBeHidden();
  release();
  await expect(empty).toBeVisible();
  await expect(loading).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});

interface Chat {
  conversationId: string;
  conversationToken: string;
}

/** A visitor starts a real chat: it reaches the workspace through the event stream. */
async function startChat(request: APIRequestContext, visitorName: string): Promise<Chat> {
  const started = await request.post(`${PCI_ORIGIN}/v1/conversations`, { data: { siteId: 'demo', visitorName } });
  expect(started.status()).toBe(201);
  return (await started.json()) as Chat;
}

/** The visitor ends the chat. */
async function closeChat(request: APIRequestContext, c: Chat): Promise<void> {
  const closed = await request.post(`${PCI_ORIGIN}/v1/conversations/${c.conversationId}/close`, {
    headers: { 'Secure-Forms-Conversation': c.conversationToken },
  });
  expect(closed.status()).toBe(200);
}

/** Bob, another agent, takes the conversation. */
async function takeAsBob(request: APIRequestContext, c: Chat): Promise<void> {
  const taken = await request.post(`${PCI_ORIGIN}/v1/conversations/${c.conversationId}/assign`, {
    headers: { 'Secure-Forms-Session': bob.token },
  });
  expect(taken.status()).toBe(200);
}

test('a conversation that leaves the queue above the focused one: focus stays on the same conversation', async ({ page, request }) => {
  // An empty first page; two real conversations then arrive through the event stream. The queue
  // puts the newer first (the server's order), so the one above the focused one starts second.
  await serveQueue(page, { first: { conversations: [] } });
  await signIn(page);
  const below = await startChat(request, 'Bea Below');
  const above = await startChat(request, 'Ava Above');
  const take = page.getByRole('button', { name: 'Take conversation with Bea Below' });
  await take.focus();
  await expect(page.getByRole('listitem')).toHaveText([/Ava Above/, /Bea Below/]);
  await closeChat(request, above);
  await expect(item(page, 'Ava Above Waiting')).toHaveCount(0);
  // The node that had focus is Bea's still: not reused for someone else, nor removed.
  await expect(take).toBeFocused();
  await closeChat(request, below);
});

test('a conversation that arrives through the event stream goes where the server orders it: first of the waiting ones, not after the pages', async ({
  page,
  request,
}) => {
  await serveQueue(page, { first: { conversations: visitors(1, 50), next: 'older-1' } });
  await signIn(page);
  // Newer than every made-up conversation: the newest waiting one, which the queue shows first.
  const chat = await startChat(request, 'Nia New');
  await expect(item(page, 'Nia New Waiting')).toBeVisible();
  await expect(page.getByRole('listitem').first()).toHaveAccessibleName('Nia New Waiting');
  await expect(page.getByRole('listitem').nth(1)).toHaveAccessibleName('Queue visitor 1 Waiting');
  await expect(page.getByRole('listitem').last()).toHaveText('Show older conversations');
  await closeChat(request, chat);
});

test('a conversation another agent takes moves after the waiting ones, and keeps focus where it goes', async ({ page, request }) => {
  await serveQueue(page, { first: { conversations: visitors(1, 3) } });
  await signIn(page);
  const chat = await startChat(request, 'Tia Taken');
  await expect(page.getByRole('listitem')).toHaveText([/Tia Taken/, /Queue visitor 1/, /Queue visitor 2/, /Queue visitor 3/]);
  await item(page, 'Tia Taken Waiting').focus();
  await takeAsBob(request, chat);
  // Waiting first, then active (the server's order): the taken one goes after the waiting ones.
  await expect(page.getByRole('listitem')).toHaveText([/Queue visitor 1/, /Queue visitor 2/, /Queue visitor 3/, /Tia Taken/]);
  await expect(item(page, 'Tia Taken Assigned to another agent')).toBeFocused();
  // Focus on its "Take" button, which goes with the move: focus goes to the conversation's item.
  const other = await startChat(request, 'Uma Unclaimed');
  await page.getByRole('button', { name: 'Take conversation with Uma Unclaimed' }).focus();
  await takeAsBob(request, other);
  await expect(page.getByRole('listitem')).toHaveText([
    /Queue visitor 1/,
    /Queue visitor 2/,
    /Queue visitor 3/,
    /Uma Unclaimed/,
    /Tia Taken/,
  ]);
  await expect(item(page, 'Uma Unclaimed Assigned to another agent')).toBeFocused();
  await closeChat(request, chat);
  await closeChat(request, other);
});

/** Sign out, then sign in as bob through the form (answered with his session); focus on the queue. */
async function signOutAndInAsBob(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await fillSignIn(page, 'bob', bob);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
}

/** A request whose answer is held: `asked` settles once the page sent it, `release` lets its answer go on. */
interface Held {
  asked: Promise<Request>;
  release: () => void;
}

interface HoldOptions {
  method: string;
  /** Hold only the requests this picks; the others fall back to the routes set up before. */
  only?: (request: Request) => boolean;
  /** Put in place of the server's status or body (its answer still brings the session check and the CORS headers). */
  answer?: { status?: number; json?: unknown; body?: string };
  /** Hold the request before it reaches the server (it gets there once released), not the server's answer. */
  beforeServer?: boolean;
}

/** Route `url`'s `method` requests and hold each until released: the server answers at once, while its sender is signed in, and the answer is held. */
async function holdAnswer(page: Page, url: string | RegExp, options: HoldOptions): Promise<Held> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let sent!: (request: Request) => void;
  const asked = new Promise<Request>((resolve) => (sent = resolve));
  await page.route(url, async (route) => {
    const request = route.request();
    if (request.method() !== options.method || (options.only !== undefined && !options.only(request))) return route.fallback();
    sent(request);
    if (options.beforeServer) {
      await held;
      return route.continue().catch(() => undefined);
    }
    const response = await route.fetch();
    await held;
    // A request the page gave up on (aborted) meanwhile cannot be answered any more.
    await route.fulfill({ response, ...options.answer }).catch(() => undefined);
  });
  return { asked, release };
}

/** Once the held request is sent: sign out, sign bob in, release its answer and wait for it to arrive, then `settle` ms more. */
async function releaseAfterBobSignsIn(page: Page, { asked, release }: Held, settle = 500): Promise<void> {
  const request = await asked;
  await signOutAndInAsBob(page);
  release();
  await request.response().catch(() => null);
  // Nothing to wait for when the answer is dropped: before, it showed within a few milliseconds.
  await page.waitForTimeout(settle);
}

test('a page asked for before a sign-out and answered after the next operator signs in: their queue shows none of it', async ({ page }) => {
  const alice = session;
  await keepSessionAtSignOut(page);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const asked = page.waitForRequest(/cursor=older-1/);
  await serveQueue(
    page,
    { first: { conversations: visitors(1, 50), next: 'older-1' }, 'older-1': { conversations: visitors(51, 53), next: 'older-2' } },
    { session: alice.token, held: { 'older-1': held } },
  );
  // Bob's own queue is one page, whatever the suite left on the server: a "Show older
  // conversations" button in it can only come from alice's page.
  await serveQueue(page, { first: { conversations: [] } }, { session: bob.token });
  await signIn(page, alice);
  await showOlder(page);
  // Alice's page arrives once bob signed in, answered by the server before she signed out.
  await releaseAfterBobSignsIn(page, { asked, release });
  await expect(page.getByRole('listitem', { name: /^Queue visitor / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
});

test('a transcript asked for before a sign-out and answered after the next operator signs in: their workspace shows none of it', async ({
  page,
  request,
}) => {
  const alice = session;
  await keepSessionAtSignOut(page);
  const chat = await startChat(request, 'Ola Open');
  const transcript = await holdAnswer(page, `${PCI_ORIGIN}/v1/conversations/${chat.conversationId}/messages`, { method: 'GET' });
  await signIn(page, alice);
  await page.getByRole('button', { name: 'Take conversation with Ola Open' }).click();
  await releaseAfterBobSignsIn(page, transcript);
  await expect(page.getByRole('heading', { name: 'Conversation with Ola Open' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await closeChat(request, chat);
});

test('an agent whose focused conversation closes: focus goes to the next one in the queue, then to the heading when none is left', async ({
  page,
  request,
}) => {
  await serveQueue(page, { first: { conversations: [] } });
  await signIn(page);
  // The newer is listed first: Cal Closing, then Nell Next.
  const next = await startChat(request, 'Nell Next');
  const closing = await startChat(request, 'Cal Closing');
  await expect(page.getByRole('listitem')).toHaveText([/Cal Closing/, /Nell Next/]);
  await page.getByRole('button', { name: 'Take conversation with Cal Closing' }).focus();
  await closeChat(request, closing);
  await expect(item(page, 'Cal Closing Waiting')).toHaveCount(0);
  await expect(item(page, 'Nell Next Waiting')).toBeFocused();
  // The last one closes too: nothing comes after it, and focus goes to the queue's heading.
  await closeChat(request, next);
  await expect(item(page, 'Nell Next Waiting')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});

/** The last time step an admin's code was used in this file: each code is good once, and the next must be later. */
let adaCodeAt = 0;

/**
 * Sign in as ada, the admin, through the form, with a code not used before. This file remembers
 * its last code, but not across a restart of its worker (after a failed test): a code the server
 * refuses as already used is followed by the next one, as the page tells a person to do.
 */
async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto('/agent');
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  for (;;) {
    adaCodeAt = Math.max(Date.now(), adaCodeAt + 30_000);
    // The server takes a code one step ahead of its clock at most: a third sign-in within a minute
    // (the passkey reset's test) would otherwise send one two steps ahead, refused. It waits instead.
    const early = adaCodeAt - 30_000 - Date.now();
    if (early > 0) await page.waitForTimeout(early + 100);
    await page.getByLabel('Authentication code').fill(DEMO_TOTP.generate({ timestamp: adaCodeAt }));
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${PCI_ORIGIN}/v1/sessions/second-factor`),
      page.getByRole('button', { name: 'Verify' }).click(),
    ]);
    if (answer.ok()) return;
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('TOTP_REUSED');
  }
}

test("an admin's operator list answered after the admin signed out and an agent signed in: the agent's page shows none of it", async ({
  page,
}) => {
  const list = await holdAnswer(page, `${PCI_ORIGIN}/v1/operators`, { method: 'GET' });
  await signInAsAdmin(page);
  await releaseAfterBobSignsIn(page, list);
  await expect(page.getByRole('heading', { name: 'Operators' })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Alice Agent/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
});

test("an admin's operator list leaves the page at sign-out, not only hidden", async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page.getByRole('row', { name: /Alice Agent/ })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // Hidden from everyone already; its rows (usernames, roles) must not stay in the page either.
  await expect(page.getByRole('row', { name: /Alice Agent/, includeHidden: true })).toHaveCount(0);
  await expect(page.getByText('alice', { exact: true })).toHaveCount(0);
});

test('a passkey list asked for before a sign-out and answered after the next operator signs in: their page shows none of it and says nothing', async ({
  page,
}) => {
  const alice = session;
  await keepSessionAtSignOut(page);
  await page.route(/\/v1\/sessions\/current\/passkeys$/, async (route) => {
    if (route.request().method() !== 'GET' || route.request().headers()['secure-forms-session'] !== bob.token) return route.fallback();
    // Bob has a passkey (made up here): no offer opens his list by itself.
    const key = { id: 'bob-key', name: 'Bob key', createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null };
    await route.fulfill({ response: await route.fetch(), json: { passkeys: [key], required: false } });
  });
  // Alice's (none), once she asks again: answered by the server while she is signed in, on its way until released.
  let holding = false;
  const list = await holdAnswer(page, /\/v1\/sessions\/current\/passkeys$/, {
    method: 'GET',
    only: (r) => holding && r.headers()['secure-forms-session'] === alice.token,
  });
  await signIn(page, alice);
  // Her offer (she has no passkey) opens the list; she closes it and opens it again from the header.
  // (By its region: a conversation the suite leaves, "Cole Close-button", has a button whose name holds "Close".)
  await page.getByRole('region', { name: 'Your passkeys' }).getByRole('button', { name: 'Close' }).click();
  holding = true;
  await page.getByRole('button', { name: 'Passkeys' }).click();
  await releaseAfterBobSignsIn(page, list);
  await expect(page.getByRole('region', { name: 'Your passkeys' })).toHaveCount(0);
  await expect(page.getByText('You have no passkeys yet.')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
});

test('a password change sent before a sign-out and answered after the next operator signs in: it neither signs them out nor says anything to them', async ({
  page,
  request,
}) => {
  const alice = await apiSignIn(request, 'alice');
  // Held before it reaches the server: it gets there after alice signed out, and her ended session is refused.
  const change = await holdAnswer(page, `${PCI_ORIGIN}/v1/sessions/current/password`, { method: 'POST', beforeServer: true });
  await signIn(page, alice);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByLabel('Current password').fill(DEMO_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('violet4Harbor9lamp');
  await page.getByLabel('Confirm new password').fill('violet4Harbor9lamp');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await releaseAfterBobSignsIn(page, change);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
});

test('a passkey removal answered after the next operator signs in: "removed" is not said to them', async ({ page }) => {
  const alice = session;
  await keepSessionAtSignOut(page);
  const key = (name: string) => ({ id: `${name.replace(' ', '-')}`, name, createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null });
  // Each has a passkey (made up here, so no real one is removed): no offer opens a list by itself.
  await page.route(/\/v1\/sessions\/current\/passkeys$/, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const mine = route.request().headers()['secure-forms-session'] === alice.token ? 'Alice key' : 'Bob key';
    await route.fulfill({ response: await route.fetch(), json: { passkeys: [key(mine)], required: false } });
  });
  // The server refuses the made-up passkey; its answer brings the CORS headers, and a removal's 204 replaces it.
  const removal = await holdAnswer(page, /\/v1\/sessions\/current\/passkeys\/Alice-key$/, {
    method: 'DELETE',
    answer: { status: 204, body: '' },
  });
  await signIn(page, alice);
  await page.getByRole('button', { name: 'Passkeys' }).click();
  await page.getByRole('button', { name: 'Remove Alice key' }).click();
  await releaseAfterBobSignsIn(page, removal);
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
  await expect(page.getByRole('region', { name: 'Your passkeys' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});

test("a passkey being added when its operator signs out: the next operator's session is not asked to take it", async ({ page }) => {
  const alice = session;
  await keepSessionAtSignOut(page);
  await virtualAuthenticator(page);
  // The options for alice's new passkey, answered by the server while she is signed in, on their way until released.
  const options = await holdAnswer(page, `${PCI_ORIGIN}/v1/sessions/current/passkeys/options`, { method: 'POST' });
  const registrations: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/sessions/current/passkeys'))
      registrations.push(r.headers()['secure-forms-session'] ?? '');
  });
  await signIn(page, alice);
  // Her offer (she has no passkey) opens the list, with its form to add one.
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await releaseAfterBobSignsIn(page, options, 1000);
  expect(registrations).toEqual([]);
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});

test("an admin's passkey reset whose confirmation options arrive after the next operator signs in: their session does not send the reset, and their page says nothing of it", async ({
  page,
}) => {
  // A passkey of the admin's own on this device, made up here: none is added to ada's account at the server.
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  const credentialId = randomBytes(16);
  const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' });
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: credentialId.toString('base64'),
      isResidentCredential: false,
      rpId: 'localhost',
      privateKey: privateKey.toString('base64'),
      signCount: 0,
    },
  });
  // The step-up's answer, asked for while ada is signed in, on its way until released: the server's
  // (it brings the session check and the CORS headers), with made-up options for that passkey in its place.
  const stepUp = await holdAnswer(page, `${PCI_ORIGIN}/v1/sessions/current/step-up`, {
    method: 'POST',
    answer: {
      status: 200,
      json: {
        options: {
          challenge: randomBytes(32).toString('base64url'),
          rpId: 'localhost',
          allowCredentials: [{ id: credentialId.toString('base64url'), type: 'public-key', transports: ['internal'] }],
          userVerification: 'preferred',
          timeout: 10_000,
        },
      },
    },
  });
  // The reset is recorded with the session it was sent with, and never reaches the server (no one's passkeys go).
  const resets: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/v1\/operators\/[^/]+\/passkeys\/reset$/.test(r.url()))
      resets.push(r.headers()['secure-forms-session'] ?? '');
  });
  await page.route(/\/v1\/operators\/[^/]+\/passkeys\/reset$/, (route) => route.abort('failed'));
  await signInAsAdmin(page);
  await page.getByRole('button', { name: 'Reset passkeys of Max Manager' }).click();
  await expect(page.getByRole('heading', { name: 'Reset the passkeys of Max Manager?' })).toBeFocused();
  await page.getByRole('button', { name: 'Confirm with my passkey' }).click();
  await releaseAfterBobSignsIn(page, stepUp, 1000);
  expect(resets).toEqual([]);
  // Nor was the admin's passkey asked for under bob's session.
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials.map((c) => c.signCount)).toEqual([0]);
  await expect(page.getByRole('status')).toHaveText('Signed in as Bob Agent.');
  await expect(page.getByRole('heading', { name: 'Operators' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Reset the passkeys of / })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});
