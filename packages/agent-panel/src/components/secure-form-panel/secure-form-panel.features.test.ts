/**
 * The panel's features: cancel and send again, copy with a clipboard clear, idle clearing, the manager's
 * history view, permissions, locales and direction, and axe in each of those states. A cancelled
 * invitation's key is dropped, and a history view's after one view (never-list row 4); axe finds no
 * WCAG A or AA violation in any of those states (never-list row 5; docs/never-list.md).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { page } from 'vitest/browser';
import axe from 'axe-core';
import { publicJwkSchema, type HistoryEntry } from '@secure-forms/shared';
import './secure-form-panel.js';
import type { SecureFormPanel } from './secure-form-panel.component.js';
import {
  CARD,
  CID,
  FakeBackend,
  INV,
  OTK,
  SECRETS,
  SESSION,
  SID,
  invitation,
  json,
  refusal,
  sealedReply,
  serveHistoryView,
  submissionEvent,
  CARD_FORM,
  IDENTITY_FORM,
} from './panel-test-support.js';

const SID2 = '66666666-6666-4666-8666-666666666666';
const INV2 = '77777777-7777-4777-8777-777777777777';
const SSN = '078-05-1120';

let backend: FakeBackend;
let events: { type: string; detail: unknown }[];

interface MountOptions {
  mode?: 'agent' | 'history';
  permissions?: string[];
  idle?: number;
  locale?: string;
  waitFor?: 'combobox' | 'nothing';
}

async function mount(options: MountOptions = {}): Promise<SecureFormPanel> {
  const el = document.createElement('secure-form-panel');
  el.setAttribute('pci-origin', 'http://127.0.0.1:8443');
  el.setAttribute('conversation-id', CID);
  if (options.mode) el.mode = options.mode;
  if (options.permissions) el.permissions = options.permissions;
  if (options.idle !== undefined) el.idleTimeoutSeconds = options.idle;
  if (options.locale) el.setAttribute('locale', options.locale);
  el.session = SESSION;
  for (const type of [
    'secure-form-panel-sent',
    'secure-form-panel-status',
    'secure-form-panel-submitted',
    'secure-form-panel-error',
    'secure-form-panel-cleared',
  ]) {
    el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  }
  document.body.append(el);
  await el.updateComplete;
  if ((options.waitFor ?? 'combobox') === 'combobox') {
    await expect.element(page.getByRole('combobox')).toBeVisible();
  }
  return el;
}

async function send(): Promise<void> {
  await page.getByRole('button', { name: 'Send secure form' }).click();
  await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
}

async function answersShown(): Promise<void> {
  const reply = await sealedReply(backend);
  backend.retrieveReplies = [() => reply];
  backend.push(submissionEvent());
  await expect.element(page.getByText('•••• 1111')).toBeVisible();
}

async function expectNoAxeViolations(el: Element): Promise<void> {
  const result = await axe.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

function rendered(el: SecureFormPanel): string {
  return `${el.shadowRoot?.innerHTML ?? ''}\n${el.shadowRoot?.textContent ?? ''}\n${document.body.innerHTML}`;
}

function noValuesInEvents(): void {
  for (const event of events) {
    const text = JSON.stringify(event.detail);
    for (const secret of [...SECRETS, SSN]) expect(text).not.toContain(secret);
  }
}

const historyEntries: HistoryEntry[] = [
  {
    submissionId: SID,
    invitationId: INV,
    formId: 'card-payment',
    formRef: 'card-payment@1',
    formTitle: CARD_FORM.title,
    agentId: 'alice',
    submittedAt: new Date().toISOString(),
    viewable: true,
  },
  {
    submissionId: SID2,
    invitationId: INV2,
    formId: IDENTITY_FORM.id,
    formRef: IDENTITY_FORM.ref,
    formTitle: IDENTITY_FORM.title,
    agentId: 'alice',
    submittedAt: new Date().toISOString(),
    viewable: false,
  },
];

beforeEach(() => {
  backend = new FakeBackend();
  events = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => backend.fetch(input, init));
});

afterEach(async () => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute('lang');
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Serves the history list and one view of the card payment, collecting the public keys sent. */
function serveHistory(): unknown[] {
  backend.routes[`GET /v1/conversations/${CID}/history`] = () => json(200, { responses: historyEntries });
  return serveHistoryView(backend, { cardNumber: TEST_CARDS.mastercard.number, expiry: '12/30' }, () => new Date().toISOString());
}

describe('<secure-form-panel> cancel and send again', () => {
  it('cancels with the session, drops the key, and shows the cancelled step', async () => {
    const el = await mount();
    await send();
    backend.routes[`POST /v1/invitations/${INV}/cancel`] = () =>
      json(200, invitation({ state: 'cancelled', updatedAt: new Date(Date.now() + 1000).toISOString() }));
    await page.getByRole('button', { name: `Cancel ${CARD_FORM.title}` }).click();
    await expect.element(page.getByRole('list', { name: 'Status' })).toHaveTextContent(/Cancelled/);
    const cancel = backend.find('POST', `/invitations/${INV}/cancel`)[0];
    expect(cancel?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    expect(cancel?.url).not.toContain(SESSION);
    expect(page.getByRole('button', { name: `Cancel ${CARD_FORM.title}` }).query()).toBeNull();
    expect(events).toContainEqual({ type: 'secure-form-panel-status', detail: { invitationId: INV, state: 'cancelled' } });
    await expectNoAxeViolations(el);
    // The key is gone: answers that arrive anyway cannot be opened here.
    backend.push(submissionEvent());
    await expect.element(page.getByRole('alert')).toHaveTextContent(/does not hold the key/);
    expect(backend.find('POST', '/retrieve')).toHaveLength(0);
  });

  it('explains a refused cancel', async () => {
    await mount();
    await send();
    backend.routes[`POST /v1/invitations/${INV}/cancel`] = () => refusal('SESSION_EXPIRED', 401);
    await page.getByRole('button', { name: `Cancel ${CARD_FORM.title}` }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent(/Your session has ended.*Sign in again/);
  });

  it('sends the same form again with a new key pair', async () => {
    await mount();
    await send();
    const first = backend.publicKey;
    await page.getByRole('button', { name: `Send ${CARD_FORM.title} again` }).click();
    await expect.poll(() => backend.find('POST', '/invitations').length).toBe(2);
    const bodies = backend.find('POST', '/invitations').map((r) => JSON.parse(r.body) as { formId: string; publicKey: unknown });
    expect(bodies.map((b) => b.formId)).toEqual(['card-payment', 'card-payment']);
    expect(publicJwkSchema.safeParse(bodies[1]?.publicKey).success).toBe(true);
    expect(JSON.stringify(bodies[1]?.publicKey)).not.toBe(JSON.stringify(first));
  });
});

describe('<secure-form-panel> copy', () => {
  it('copies, announces, and clears the clipboard after 30 s only if it still holds the value', async () => {
    const el = await mount();
    await send();
    await answersShown();
    let clipboard = '';
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (text) => {
      clipboard = text;
    });
    vi.spyOn(navigator.clipboard, 'readText').mockImplementation(async () => clipboard);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    (page.getByRole('button', { name: 'Copy Card number' }).element() as HTMLButtonElement).click();
    await vi.waitFor(() => expect(clipboard).toBe(CARD));
    await vi.waitFor(() =>
      expect(el.shadowRoot?.querySelector('[role="status"]')?.textContent).toContain('Copied; clipboard clears in 30 seconds'),
    );
    // Copying does not reveal.
    expect(rendered(el)).not.toContain(CARD);
    vi.advanceTimersByTime(29_000);
    expect(clipboard).toBe(CARD);
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(clipboard).toBe(''));
    expect(write).toHaveBeenLastCalledWith('');

    // Something else was copied since: left alone.
    (page.getByRole('button', { name: 'Copy Expiry date' }).element() as HTMLButtonElement).click();
    await vi.waitFor(() => expect(clipboard).toBe('12/30'));
    clipboard = 'the agent copied this';
    vi.advanceTimersByTime(30_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(clipboard).toBe('the agent copied this');
    noValuesInEvents();
  });

  it('survives a clipboard that cannot be read, and a copy that is refused', async () => {
    await mount();
    await send();
    await answersShown();
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    vi.spyOn(navigator.clipboard, 'readText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    (page.getByRole('button', { name: 'Copy Card number' }).element() as HTMLButtonElement).click();
    await vi.waitFor(() => expect(write).toHaveBeenCalledWith(CARD));
    vi.advanceTimersByTime(30_000);
    await Promise.resolve();
    expect(write).toHaveBeenCalledTimes(1);
    vi.useRealTimers();

    write.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    await page.getByRole('button', { name: 'Copy Card number' }).click();
    await expect.element(page.getByRole('status')).toHaveTextContent(/could not be copied/);
  });
});

describe('<secure-form-panel> idle', () => {
  it('clears everything after idleTimeoutSeconds without activity, and can continue', async () => {
    const el = await mount({ idle: 0 });
    await send();
    await answersShown();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(CARD)).toBeVisible();
    // A controllable clock: the shortest timeout the panel runs is a minute.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    el.idleTimeoutSeconds = 60;
    await el.updateComplete;
    vi.advanceTimersByTime(60_000);
    vi.useRealTimers();
    await expect
      .element(page.getByText('Secure forms were cleared from this page because you were inactive.'), { timeout: 3000 })
      .toBeVisible();
    expect(backend.streamAborted).toBe(true);
    expect(rendered(el)).not.toContain('411111');
    expect(rendered(el)).not.toContain(CARD);
    expect(page.getByRole('heading', { name: CARD_FORM.title }).query()).toBeNull();
    expect(events).toContainEqual({ type: 'secure-form-panel-cleared', detail: { reason: 'idle' } });
    await expectNoAxeViolations(el);
    el.idleTimeoutSeconds = 0;
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
    noValuesInEvents();
  });

  it('treats an idle timeout under a minute as a minute: the agent is still warned 30 s (WCAG 2.2.1: at least 20 s) before the clear', async () => {
    const el = await mount({ idle: 0 });
    await send();
    await answersShown();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    el.idleTimeoutSeconds = 10;
    await el.updateComplete;
    const cleared = () => events.some((e) => e.type === 'secure-form-panel-cleared');
    vi.advanceTimersByTime(29_999);
    await el.updateComplete;
    expect(cleared()).toBe(false);
    expect(page.getByRole('alert').query()).toBeNull();
    vi.advanceTimersByTime(1);
    await el.updateComplete;
    expect(page.getByRole('alert').element().textContent).toContain(
      'Secure forms will be cleared from this page in 30 seconds because you seem inactive.',
    );
    vi.advanceTimersByTime(29_999);
    await el.updateComplete;
    expect(cleared()).toBe(false);
    expect(page.getByText('•••• 1111').query()).not.toBeNull();
    vi.advanceTimersByTime(1);
    await el.updateComplete;
    expect(cleared()).toBe(true);
    expect(page.getByText('•••• 1111').query()).toBeNull();
  });

  it('warns 30 seconds before the clear; "I\'m still here" keeps everything and leaves focus in the panel', async () => {
    const el = await mount({ idle: 0 });
    await send();
    await answersShown();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    el.idleTimeoutSeconds = 90;
    await el.updateComplete;
    vi.advanceTimersByTime(59_000);
    await el.updateComplete;
    expect(page.getByRole('alert').query()).toBeNull();
    vi.advanceTimersByTime(1_000);
    await el.updateComplete;
    expect(page.getByRole('alert').element().textContent).toContain(
      'Secure forms will be cleared from this page in 30 seconds because you seem inactive.',
    );
    const stay = page.getByRole('button', { name: "I'm still here" }).element() as HTMLButtonElement;
    stay.focus();
    stay.click();
    await el.updateComplete;
    expect(page.getByRole('alert').query()).toBeNull();
    expect(el.shadowRoot?.activeElement).toBe(page.getByRole('heading', { name: 'Secure forms' }).element());
    // The timer started again: another 89 s pass without a clear.
    vi.advanceTimersByTime(89_000);
    await el.updateComplete;
    expect(page.getByText('•••• 1111').query()).not.toBeNull();
    expect(events.some((e) => e.type === 'secure-form-panel-cleared')).toBe(false);
    // Warned again 60 s after staying; axe runs on real timers.
    expect(page.getByRole('alert').query()).not.toBeNull();
    vi.useRealTimers();
    await expectNoAxeViolations(el);
  });

  it('moves focus to "Continue" and announces the clear when focus was in the panel; Continue leaves focus in the panel', async () => {
    const el = await mount({ idle: 0 });
    await send();
    await answersShown();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    el.idleTimeoutSeconds = 60;
    await el.updateComplete;
    (page.getByRole('button', { name: 'Copy Card number' }).element() as HTMLButtonElement).focus();
    vi.advanceTimersByTime(60_000);
    await el.updateComplete;
    await el.updateComplete;
    const resume = page.getByRole('button', { name: 'Continue' }).element();
    expect(el.shadowRoot?.activeElement).toBe(resume);
    await vi.waitFor(() =>
      expect(el.shadowRoot?.querySelector('[part="live-region"]')?.textContent).toBe('Secure forms cleared for inactivity'),
    );
    vi.useRealTimers();
    el.idleTimeoutSeconds = 0;
    (resume as HTMLButtonElement).click();
    await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
    expect(el.shadowRoot?.activeElement).toBe(page.getByRole('heading', { name: 'Secure forms' }).element());
  });

  it('keeps an active agent signed in', async () => {
    const el = await mount({ idle: 0 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    el.idleTimeoutSeconds = 60;
    await el.updateComplete;
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(40_000);
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift' }));
    }
    await el.updateComplete;
    expect(page.getByText(/cleared from this page/).query()).toBeNull();
    expect(events.some((e) => e.type === 'secure-form-panel-cleared')).toBe(false);
  });
});

describe('<secure-form-panel> history mode', () => {
  it('without the permission: a clear message and no request at all', async () => {
    const el = await mount({ mode: 'history', permissions: ['use-secure-form'], waitFor: 'nothing' });
    await expect.element(page.getByText('You do not have permission to view secure form responses in conversation history.')).toBeVisible();
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.requests).toHaveLength(0);
    await expectNoAxeViolations(el);
  });

  it('lists responses, opens one view with a fresh key pair, masks, reveals, and drops it again', async () => {
    const keys = serveHistory();
    const el = await mount({ mode: 'history', permissions: ['view-responses-in-history'], waitFor: 'nothing' });
    await expect.element(page.getByRole('heading', { name: 'Secure form responses' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` })).toBeVisible();
    await expect.element(page.getByText(/history viewing was off/)).toBeVisible();
    expect(page.getByRole('button', { name: `View answers to ${IDENTITY_FORM.title}` }).query()).toBeNull();
    expect(backend.find('GET', '/v1/agent/events')).toHaveLength(0);
    expect(backend.find('GET', `/conversations/${CID}/history`)[0]?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    await expectNoAxeViolations(el);

    await page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` }).click();
    await expect.element(page.getByText('•••• 4444')).toBeVisible();
    expect(publicJwkSchema.safeParse(keys[0]).success).toBe(true);
    expect(keys[0]).not.toHaveProperty('d');
    expect(rendered(el)).not.toContain(TEST_CARDS.mastercard.number);
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(TEST_CARDS.mastercard.number)).toBeVisible();
    await expectNoAxeViolations(el);
    await page.getByRole('button', { name: `Hide answers to ${CARD_FORM.title}` }).click();
    await expect.element(page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` })).toBeVisible();
    expect(rendered(el)).not.toContain('5555');

    // A second view makes a second key pair.
    await page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` }).click();
    await expect.element(page.getByText('•••• 4444')).toBeVisible();
    expect(JSON.stringify(keys[1])).not.toBe(JSON.stringify(keys[0]));
    noValuesInEvents();
  });

  it('moves focus to the answers when a view opens and back to its button when it closes, announcing both', async () => {
    serveHistory();
    const el = await mount({ mode: 'history', permissions: ['view-responses-in-history'], waitFor: 'nothing' });
    const live = () => el.shadowRoot?.querySelector('[part="live-region"]')?.textContent ?? '';
    await page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` }).click();
    await expect.element(page.getByText('•••• 4444')).toBeVisible();
    await expect.poll(() => el.shadowRoot?.activeElement?.textContent).toBe('Answers');
    await expect.poll(live).toBe('Answers ready');
    await page.getByRole('button', { name: `Hide answers to ${CARD_FORM.title}` }).click();
    await expect
      .poll(() => el.shadowRoot?.activeElement)
      .toBe(page.getByRole('button', { name: `View answers to ${CARD_FORM.title}` }).element());
    await expect.poll(live).toBe(`Answers to ${CARD_FORM.title} hidden`);
  });

  it('shows the reason when the backend refuses the history', async () => {
    backend.routes[`GET /v1/conversations/${CID}/history`] = () => refusal('FORBIDDEN', 403);
    const el = await mount({ mode: 'history', permissions: ['view-responses-in-history'], waitFor: 'nothing' });
    await expect.element(page.getByRole('alert')).toHaveTextContent(/do not have permission/);
    await expectNoAxeViolations(el);
  });
});

describe('<secure-form-panel> permissions for agents', () => {
  it('without use-secure-form: a message and no request', async () => {
    await mount({ permissions: [], waitFor: 'nothing' });
    await expect.element(page.getByText('You do not have permission to use secure forms.')).toBeVisible();
    expect(backend.requests).toHaveLength(0);
  });
});

describe('<secure-form-panel> locales', () => {
  it('renders Arabic right to left from the locale attribute, loaded lazily', async () => {
    const el = await mount({ locale: 'ar', waitFor: 'nothing' });
    await expect.element(page.getByRole('heading', { name: 'النماذج الآمنة' })).toBeVisible();
    expect(el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('dir')).toBe('rtl');
    await expect.element(page.getByRole('button', { name: 'إرسال نموذج آمن' })).toBeVisible();
    await expectNoAxeViolations(el);
    el.setAttribute('locale', 'en');
    await expect.element(page.getByRole('heading', { name: 'Secure forms' })).toBeVisible();
    expect(el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('dir')).toBe('ltr');
  });

  it('falls back to the document language (es-MX → Spanish)', async () => {
    document.documentElement.lang = 'es-MX';
    const el = await mount({ waitFor: 'nothing' });
    await expect.element(page.getByRole('button', { name: 'Enviar formulario seguro' })).toBeVisible();
    await expectNoAxeViolations(el);
    el.setAttribute('locale', 'en');
    await expect.element(page.getByRole('button', { name: 'Send secure form' })).toBeVisible();
  });
});

// Keep the OTK constant referenced: answers arrive with it and it must never surface.
void OTK;
