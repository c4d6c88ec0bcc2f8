/**
 * The agent workspace's queue, page by page: where focus goes when "Show older conversations"
 * brings a page (WCAG 2.4.3), and that the queue says nothing untrue while its first page loads.
 * The pages of the queue are made up here (the rest of the suite's conversations would make their
 * number and order vary); the requests still go to the server, for its session check and CORS.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, PCI_ORIGIN } from './support.js';

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
 * a page given as 'fail' fails as a network error does. `gate`, when given, holds the answers.
 */
async function serveQueue(page: Page, pages: Record<string, QueuePage | 'fail'>, gate?: Promise<void>): Promise<void> {
  await page.route(/\/v1\/conversations(\?.*)?$/, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    await gate;
    const url = new URL(route.request().url());
    const answer = pages[url.searchParams.get('cursor') ?? 'first'];
    if (answer === undefined || answer === 'fail') return route.abort('failed');
    // The server asked for its first page (the made-up cursors are none of its own): its answer
    // brings the session check and the CORS headers, and the made-up page replaces its body.
    url.search = '';
    await route.fulfill({ response: await route.fetch({ url: url.href }), json: answer });
  });
}

/**
 * One sign-in for the whole file, made once through the API. The server allows an operator 10
 * sign-ins a minute and an address 30; this file's tests, each signing in right after the suite's
 * others, went past that ("Too many attempts"). Each page still signs in through its form, and its
 * request is answered with this session (sign-in itself is the subject of other specs).
 */
let session: unknown;
test.beforeAll(async ({ request }) => {
  const login = await request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username: 'alice', password: DEMO_PASSWORD } });
  expect(login.status()).toBe(201);
  session = await login.json();
});

/** Sign in as alice through the workspace's form (answered with the file's session). */
async function submitSignIn(page: Page): Promise<void> {
  await page.route(`${PCI_ORIGIN}/v1/sessions`, (route) =>
    route.request().method() === 'POST' ? route.fulfill({ status: 201, json: session }) : route.fallback(),
  );
  await page.goto('/agent');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signIn(page: Page): Promise<void> {
  await submitSignIn(page);
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

test('a page with nothing new to show and more after it: the status says so and focus stays on "Show older conversations"', async ({
  page,
}) => {
  await serveQueue(page, {
    first: { conversations: visitors(1, 50), next: 'older-1' },
    'older-1': { conversations: visitors(51, 60, 'closed'), next: 'older-2' },
    'older-2': { conversations: visitors(61, 62) },
  });
  await signIn(page);
  await showOlder(page);
  await expect(page.getByRole('status')).toHaveText('No conversations to show on that page. There are older ones still.');
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(item(page, 'Queue visitor 61 Waiting')).toBeFocused();
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
  await serveQueue(page, { first: { conversations: [] } }, new Promise<void>((resolve) => (release = resolve)));
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

test('a conversation that leaves the queue above the focused one: focus stays on the same conversation', async ({ page, request }) => {
  // An empty first page; two real conversations then arrive through the event stream, in order.
  await serveQueue(page, { first: { conversations: [] } });
  await signIn(page);
  const start = async (visitorName: string) =>
    (await (await request.post(`${PCI_ORIGIN}/v1/conversations`, { data: { siteId: 'demo', visitorName } })).json()) as {
      conversationId: string;
      conversationToken: string;
    };
  const close = async (c: { conversationId: string; conversationToken: string }) =>
    expect(
      (
        await request.post(`${PCI_ORIGIN}/v1/conversations/${c.conversationId}/close`, {
          headers: { 'Secure-Forms-Conversation': c.conversationToken },
        })
      ).status(),
    ).toBe(200);
  const above = await start('Ava Above');
  const below = await start('Bea Below');
  const take = page.getByRole('button', { name: 'Take conversation with Bea Below' });
  await take.focus();
  await expect(item(page, 'Ava Above Waiting')).toBeVisible();
  await close(above);
  await expect(item(page, 'Ava Above Waiting')).toHaveCount(0);
  // The node that had focus is Bea's still: not reused for someone else, nor removed.
  await expect(take).toBeFocused();
  await close(below);
});
