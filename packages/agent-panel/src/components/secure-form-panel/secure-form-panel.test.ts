import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import axe from 'axe-core';
import { publicJwkSchema } from '@secure-forms/shared';
import './secure-form-panel.js';
import type { SecureFormPanel } from './secure-form-panel.component.js';
import {
  PCI,
  CID,
  INV,
  OTHER_INV,
  SID,
  SESSION,
  OTK,
  FRESH_OTK,
  CARD,
  CVV,
  SECRETS,
  FakeBackend,
  refusal,
  invitation,
  sealedReply,
  submissionEvent,
  CARD_FORM,
  IDENTITY_FORM,
} from './panel-test-support.js';

let backend: FakeBackend;
let events: { type: string; detail: unknown }[];

async function mount(): Promise<SecureFormPanel> {
  const el = document.createElement('secure-form-panel');
  el.setAttribute('pci-origin', PCI);
  el.setAttribute('conversation-id', CID);
  el.session = SESSION;
  for (const type of ['secure-form-panel-sent', 'secure-form-panel-status', 'secure-form-panel-submitted', 'secure-form-panel-error']) {
    el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  }
  document.body.append(el);
  await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
  return el;
}

async function send(): Promise<void> {
  await page.getByRole('combobox', { name: 'Form' }).selectOptions('card-payment');
  await page.getByRole('button', { name: 'Send secure form' }).click();
  await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
}

/** Everything the element renders, markup and text. */
function rendered(el: SecureFormPanel): string {
  return `${el.shadowRoot?.innerHTML ?? ''}\n${el.shadowRoot?.textContent ?? ''}\n${document.body.innerHTML}`;
}

beforeEach(() => {
  backend = new FakeBackend();
  events = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => backend.fetch(input, init));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('<secure-form-panel>', () => {
  it('renders the catalog and sends a fresh P-256 public JWK without a private part', async () => {
    await mount();
    await expect.element(page.getByRole('heading', { name: 'Secure forms' })).toBeVisible();
    await expect.element(page.getByRole('option', { name: CARD_FORM.title })).toBeInTheDocument();
    await expect.element(page.getByRole('option', { name: IDENTITY_FORM.title })).toBeInTheDocument();
    const catalog = backend.find('GET', '/v1/forms')[0];
    expect(catalog?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    expect(catalog?.url).toBe(`${PCI}/v1/forms`);

    await send();
    const post = backend.find('POST', '/invitations')[0];
    expect(post?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    expect(post?.headers.get('Content-Type')).toBe('application/json');
    const body = JSON.parse(post?.body ?? '{}') as { formId: string; publicKey: Record<string, unknown> };
    expect(body.formId).toBe('card-payment');
    expect(publicJwkSchema.safeParse(body.publicKey).success).toBe(true);
    expect(body.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(body.publicKey).not.toHaveProperty('d');
    await expect.element(page.getByRole('list', { name: 'Status' })).toHaveTextContent(/Sent/);
    expect(events).toContainEqual({ type: 'secure-form-panel-sent', detail: { invitationId: INV, formId: 'card-payment' } });
  });

  it('follows the invitation state on the event stream', async () => {
    await mount();
    await send();
    backend.push({
      type: 'invitation',
      invitation: invitation({ state: 'opened', opens: 1, updatedAt: new Date(Date.now() + 1000).toISOString() }),
    });
    await expect.element(page.getByText('Opened 1 of 3')).toBeVisible();
    backend.push({
      type: 'invitation',
      invitation: invitation({ state: 'opened', opens: 2, updatedAt: new Date(Date.now() + 2000).toISOString() }),
    });
    await expect.element(page.getByText('Opened 2 of 3')).toBeVisible();
    // Another conversation's invitation is not shown.
    backend.push({
      type: 'invitation',
      invitation: invitation({ id: OTHER_INV, conversationId: '55555555-5555-4555-8555-555555555555', formTitle: 'Elsewhere' }),
    });
    backend.push({
      type: 'invitation',
      invitation: invitation({ state: 'expired', opens: 2, updatedAt: new Date(Date.now() + 3000).toISOString() }),
    });
    await expect.element(page.getByText('Expired')).toBeVisible();
    expect(page.getByRole('heading', { name: 'Elsewhere' }).query()).toBeNull();
    expect(events.filter((e) => e.type === 'secure-form-panel-status').map((e) => e.detail)).toEqual([
      { invitationId: INV, state: 'opened' },
      { invitationId: INV, state: 'opened' },
      { invitationId: INV, state: 'expired' },
    ]);
  });

  it('retrieves with the OTK header, decrypts, masks, and reveals one field on request', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());

    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    await expect.element(page.getByRole('status')).toHaveTextContent('Answers ready');
    expect(rendered(el)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    expect(rendered(el)).not.toContain('12/30');

    const retrieve = backend.find('POST', `/submissions/${SID}/retrieve`)[0];
    expect(retrieve?.headers.get('Authorization')).toBe(`OTK ${OTK}`);
    expect(retrieve?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    expect(retrieve?.url).toBe(`${PCI}/v1/submissions/${SID}/retrieve`);
    expect(retrieve?.url).not.toContain(OTK);
    expect(retrieve?.url).not.toContain(SESSION);

    const reveal = page.getByRole('button', { name: 'Reveal Card number' });
    await expect.element(reveal).toHaveAttribute('aria-pressed', 'false');
    await reveal.click();
    await expect.element(reveal).toHaveAttribute('aria-pressed', 'true');
    await expect.element(page.getByText(CARD)).toBeVisible();
    // One field at a time: revealing another hides the first.
    await page.getByRole('button', { name: 'Reveal Expiry date' }).click();
    await expect.element(page.getByText('12/30')).toBeVisible();
    expect(rendered(el)).not.toContain(CARD);
    await page.getByRole('button', { name: 'Reveal Expiry date' }).click();
    await expect.element(page.getByRole('button', { name: 'Reveal Expiry date' })).toHaveAttribute('aria-pressed', 'false');
    expect(rendered(el)).not.toContain('12/30');
    expect(rendered(el)).not.toContain(CARD);

    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(CARD)).toBeVisible();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByRole('button', { name: 'Reveal Card number' })).toHaveAttribute('aria-pressed', 'false');
    expect(rendered(el)).not.toContain(CARD);

    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['secure-form-panel-sent', 'secure-form-panel-submitted']));
    expect(events).toContainEqual({ type: 'secure-form-panel-submitted', detail: { invitationId: INV, submissionId: SID } });
    for (const event of events) {
      const text = JSON.stringify(event.detail);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });

  it('hides a revealed value again after 30 seconds', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    (page.getByRole('button', { name: 'Reveal Card number' }).element() as HTMLButtonElement).click();
    await el.updateComplete;
    expect(el.shadowRoot?.textContent).toContain(CARD);
    vi.advanceTimersByTime(29_000);
    await el.updateComplete;
    expect(el.shadowRoot?.textContent).toContain(CARD);
    vi.advanceTimersByTime(1_000);
    await el.updateComplete;
    expect(rendered(el)).not.toContain(CARD);
  });

  it('marks off-the-record answers, counts down, and drops them at expiry', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend, { offTheRecordExpiresAt: new Date(Date.now() + 2500).toISOString() });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());

    await expect.element(page.getByText('Off the record')).toBeVisible();
    await expect.element(page.getByText(/deleted from this page in 0:0\d/)).toBeVisible();
    await page.getByRole('button', { name: `Reveal ${CARD_FORM.cvv}` }).click();
    await expect.element(page.getByText(CVV, { exact: true })).toBeVisible();

    await expect.element(page.getByText('Off-the-record answers were deleted from this page'), { timeout: 5000 }).toBeVisible();
    expect(el.shadowRoot?.textContent).not.toContain(CVV);
    expect(page.getByRole('button', { name: /Security code/ }).query()).toBeNull();
    // On-the-record answers stay.
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
  });

  it('moves focus from a deleted off-the-record value to the note that says why, and announces the deletion', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend, { offTheRecordExpiresAt: new Date(Date.now() + 2500).toISOString() });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('Off the record')).toBeVisible();
    (page.getByRole('button', { name: /Copy Security code/ }).element() as HTMLButtonElement).focus();
    const note = page.getByText('Off-the-record answers were deleted from this page');
    await expect.element(note, { timeout: 5000 }).toBeVisible();
    await expect.poll(() => el.shadowRoot?.activeElement).toBe(note.element());
    await expect.poll(() => el.shadowRoot?.querySelector('[part="live-region"]')?.textContent).toBe('Off-the-record answers deleted');
  });

  it('explains off-the-record answers that expired before retrieval', async () => {
    await mount();
    await send();
    const reply = await sealedReply(backend, { offTheRecordState: 'expired' });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    await expect.element(page.getByText(/off-the-record answers \(such as the CVV\) were deleted/i)).toBeVisible();
  });

  it('refuses an envelope bound to another invitation', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend, { boundTo: OTHER_INV });
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());

    await expect.element(page.getByRole('alert')).toHaveTextContent(/These answers were not opened/);
    expect(rendered(el)).not.toContain('411111');
    expect(events).toContainEqual({ type: 'secure-form-panel-error', detail: { code: 'ENVELOPE_REFUSED' } });
  });

  it('shows why a NOT_SENDER refusal happened and what to do', async () => {
    await mount();
    await send();
    backend.retrieveReplies = [() => refusal('NOT_SENDER', 403)];
    backend.push(submissionEvent());

    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent(/Only the agent who sent this form can read its answers/);
    await expect.element(alert).toHaveTextContent(/send a new form yourself/);
    expect(page.getByRole('button', { name: 'Retrieve again' }).query()).toBeNull();
    expect(events).toContainEqual({ type: 'secure-form-panel-error', detail: { code: 'NOT_SENDER' } });
  });

  it('offers "Retrieve again" when the retrieve OTK expired, with a fresh OTK', async () => {
    await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => refusal('OTK_EXPIRED', 401), () => reply];
    backend.push(submissionEvent());

    await expect.element(page.getByRole('alert')).toHaveTextContent(/expired or was already used/);
    await page.getByRole('button', { name: 'Retrieve again' }).click();
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    expect(backend.find('POST', `/submissions/${SID}/retrieve-otk`)).toHaveLength(1);
    const retrieves = backend.find('POST', `/submissions/${SID}/retrieve`);
    expect(retrieves.map((r) => r.headers.get('Authorization'))).toEqual([`OTK ${OTK}`, `OTK ${FRESH_OTK}`]);
  });

  it('stops the stream and drops everything when the session changes or the element leaves', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();

    el.session = 'b3RoZXItc2Vzc2lvbi10b2tlbg';
    await el.updateComplete;
    expect(backend.streamAborted).toBe(true);
    expect(rendered(el)).not.toContain('411111');
    expect(page.getByRole('heading', { name: CARD_FORM.title }).query()).toBeNull();
    await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
    expect(backend.find('GET', '/v1/forms').at(-1)?.headers.get('Secure-Forms-Session')).toBe('b3RoZXItc2Vzc2lvbi10b2tlbg');

    backend.streamAborted = false;
    el.remove();
    expect(backend.streamAborted).toBe(true);
  });

  it('reconnects the event stream after it drops', async () => {
    await mount();
    await vi.waitUntil(() => backend.streamsOpened === 1);
    backend.dropStream();
    await vi.waitUntil(() => backend.streamsOpened === 2, { timeout: 4000 });
    const streams = backend.find('GET', '/v1/agent/events');
    expect(streams.every((r) => r.headers.get('Secure-Forms-Session') === SESSION)).toBe(true);
    expect(streams.every((r) => r.url === `${PCI}/v1/agent/events`)).toBe(true);
  });

  it('drops the key when the invitation ends, so later answers cannot be opened here', async () => {
    const el = await mount();
    await send();
    backend.push({
      type: 'invitation',
      invitation: invitation({ state: 'cancelled', updatedAt: new Date(Date.now() + 1000).toISOString() }),
    });
    await expect.element(page.getByText('Cancelled')).toBeVisible();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByRole('alert')).toHaveTextContent(/does not hold the key/);
    expect(backend.find('POST', '/retrieve')).toHaveLength(0);
    expect(rendered(el)).not.toContain('411111');
  });

  it('drops keys when the conversation closes and stops offering to send', async () => {
    await mount();
    await send();
    backend.push({
      type: 'conversation',
      conversation: {
        id: CID,
        siteId: 'demo',
        state: 'closed',
        visitorName: 'Visitor',
        assignedAgentId: 'agent-1',
        createdAt: new Date().toISOString(),
      },
    });
    await expect.element(page.getByText('This conversation has ended')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Send secure form' })).toHaveAttribute('aria-disabled', 'true');
    backend.push(submissionEvent());
    await expect.element(page.getByRole('alert')).toHaveTextContent(/conversation has ended/);
    expect(backend.find('POST', '/retrieve')).toHaveLength(0);
  });

  it('drops everything on pagehide', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await el.updateComplete;
    expect(backend.streamAborted).toBe(true);
    expect(rendered(el)).not.toContain('411111');
  });

  it('can be used with the keyboard alone', async () => {
    const el = await mount();
    /** `toHaveFocus` compares with `document.activeElement`, which is the host for shadow content. */
    const expectFocus = (locator: ReturnType<typeof page.getByRole>) =>
      expect.poll(() => el.shadowRoot?.activeElement === locator.query()).toBe(true);
    await userEvent.tab();
    await expectFocus(page.getByRole('combobox', { name: 'Form' }));
    await userEvent.tab();
    await expectFocus(page.getByRole('button', { name: 'Send secure form' }));
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    await userEvent.tab();
    await expectFocus(page.getByRole('button', { name: 'Reveal Card number' }));
    await userEvent.keyboard('{Enter}');
    await expectFocus(page.getByRole('button', { name: 'Reveal Card number' }));
    await expect.element(page.getByRole('button', { name: 'Reveal Card number' })).toHaveAttribute('aria-pressed', 'true');
    await expect.element(page.getByText(CARD)).toBeVisible();
    await userEvent.keyboard(' ');
    await expectFocus(page.getByRole('button', { name: 'Reveal Card number' }));
  });

  it('has no axe violations at WCAG A/AA, with answers shown and a refusal', async () => {
    const el = await mount();
    await send();
    const reply = await sealedReply(backend);
    backend.retrieveReplies = [() => reply];
    backend.push(submissionEvent());
    await expect.element(page.getByText('•••• 1111')).toBeVisible();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    const result = await axe.run(el, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // Every button is at least 24 by 24 CSS pixels.
    for (const button of el.shadowRoot?.querySelectorAll('button') ?? []) {
      const box = button.getBoundingClientRect();
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
    }
  });

  it('keeps the session out of attributes', async () => {
    const el = await mount();
    expect(el.getAttributeNames().some((name) => el.getAttribute(name)?.includes(SESSION))).toBe(false);
    expect(el.outerHTML).not.toContain(SESSION);
  });
});
