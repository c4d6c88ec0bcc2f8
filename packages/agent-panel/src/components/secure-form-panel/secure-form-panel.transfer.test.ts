/**
 * Transfer: a conversation transferred to another agent (the original sender's panel and
 * the new agent's), and values leaving the DOM when the host hides or closes the panel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import axe from 'axe-core';
import type { Conversation, ConversationMessage } from '@secure-forms/shared';
import './secure-form-panel.js';
import type { SecureFormPanel } from './secure-form-panel.component.js';
import {
  CARD,
  CID,
  FakeBackend,
  INV,
  OTHER_INV,
  OTK,
  SECRETS,
  SESSION,
  SID,
  invitation,
  json,
  refusal,
  sealedReply,
  submissionEvent,
  CARD_FORM,
} from './panel-test-support.js';

const MASKED = '•••• 1111';
const ALICE = 'op-alice';
const BOB = 'op-bob';

let backend: FakeBackend;
let events: { type: string; detail: unknown }[];

async function mount(options: { operatorId?: string; parent?: HTMLElement } = {}): Promise<SecureFormPanel> {
  const el = document.createElement('secure-form-panel');
  el.setAttribute('pci-origin', 'http://127.0.0.1:8443');
  el.setAttribute('conversation-id', CID);
  if (options.operatorId) el.setAttribute('operator-id', options.operatorId);
  el.session = SESSION;
  for (const type of ['secure-form-panel-sent', 'secure-form-panel-status', 'secure-form-panel-submitted', 'secure-form-panel-error']) {
    el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  }
  (options.parent ?? document.body).append(el);
  await expect.element(page.getByRole('combobox', { name: 'Form' })).toBeVisible();
  return el;
}

async function sendAndShowAnswers(): Promise<void> {
  await page.getByRole('button', { name: 'Send secure form' }).click();
  await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
  const reply = await sealedReply(backend);
  backend.retrieveReplies = [() => reply];
  backend.push(submissionEvent());
  await expect.element(page.getByText(MASKED)).toBeVisible();
}

function conversationEvent(assignedAgentId: string): { type: 'conversation'; conversation: Conversation } {
  return {
    type: 'conversation',
    conversation: {
      id: CID,
      siteId: 'demo',
      state: 'active',
      visitorName: 'Visitor',
      assignedAgentId,
      createdAt: new Date().toISOString(),
    },
  };
}

function rendered(el: SecureFormPanel): string {
  return `${el.shadowRoot?.innerHTML ?? ''}\n${el.shadowRoot?.textContent ?? ''}\n${document.body.innerHTML}`;
}

async function expectNoAxeViolations(el: Element): Promise<void> {
  const result = await axe.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

function noSecretsInEvents(): void {
  for (const event of events) {
    const text = JSON.stringify(event.detail);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

beforeEach(() => {
  backend = new FakeBackend();
  events = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => backend.fetch(input, init));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('<secure-form-panel> transferred conversation: the original sender', () => {
  it('drops the answers and keys of the forms it sent, says why, and stops offering to send', async () => {
    const el = await mount({ operatorId: ALICE });
    await sendAndShowAnswers();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(CARD)).toBeVisible();

    backend.push(conversationEvent(BOB));
    await expect.element(page.getByText(MASKED)).not.toBeInTheDocument();
    expect(rendered(el)).not.toContain(CARD);
    expect(rendered(el)).not.toContain('411111');
    expect(rendered(el)).not.toContain('12/30');
    // The reason and the next step, for the panel and for the form it sent.
    const alerts = page.getByRole('alert').elements();
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    for (const alert of alerts) {
      expect(alert.textContent).toContain('This conversation was transferred to another agent');
      expect(alert.textContent).toContain('The agent who has the conversation now can send a new form');
    }
    await expect.element(page.getByRole('button', { name: 'Send secure form' })).toHaveAttribute('aria-disabled', 'true');
    expect(page.getByRole('button', { name: /^Cancel |again$/ }).query()).toBeNull();
    expect(events).toContainEqual({ type: 'secure-form-panel-error', detail: { code: 'TRANSFERRED' } });
    await expectNoAxeViolations(el);

    // Nothing more is sent, retrieved or opened for this conversation.
    (page.getByRole('button', { name: 'Send secure form' }).element() as HTMLButtonElement).click();
    backend.push(submissionEvent());
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.find('POST', '/invitations')).toHaveLength(1);
    expect(backend.find('POST', '/retrieve')).toHaveLength(1);
    noSecretsInEvents();
  });

  it('without operator-id, learns it from the NOT_ASSIGNED refusal when it retrieves', async () => {
    const el = await mount();
    await page.getByRole('button', { name: 'Send secure form' }).click();
    await expect.element(page.getByRole('heading', { name: CARD_FORM.title })).toBeVisible();
    backend.retrieveReplies = [() => refusal('NOT_ASSIGNED', 403)];
    backend.push(submissionEvent());
    await expect.element(page.getByRole('alert').first()).toHaveTextContent(/transferred to another agent/);
    expect(page.getByRole('button', { name: 'Retrieve again' }).query()).toBeNull();
    await expect.element(page.getByRole('button', { name: 'Send secure form' })).toHaveAttribute('aria-disabled', 'true');
    expect(events).toContainEqual({ type: 'secure-form-panel-error', detail: { code: 'TRANSFERRED' } });
    expect(rendered(el)).not.toContain('411111');
  });

  it('sends again once the conversation comes back to it', async () => {
    await mount({ operatorId: ALICE });
    backend.push(conversationEvent(BOB));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/transferred to another agent/);
    backend.push(conversationEvent(ALICE));
    await expect.element(page.getByRole('button', { name: 'Send secure form' })).toHaveAttribute('aria-disabled', 'false');
    expect(page.getByRole('alert').query()).toBeNull();
  });
});

describe('<secure-form-panel> transferred conversation: the new agent', () => {
  const transcript = (...invitationIds: string[]): ConversationMessage[] =>
    invitationIds.map((invitationId, i) => ({
      kind: 'invitation',
      id: `m${i}`,
      at: new Date().toISOString(),
      invitationId,
      formTitle: CARD_FORM.title,
    }));

  it('lists the forms another agent sent with the backend refusal, and reads none of them', async () => {
    backend.routes[`GET /v1/conversations/${CID}/messages`] = () => json(200, { messages: transcript(OTHER_INV) });
    backend.routes[`GET /v1/invitations/${OTHER_INV}`] = () => refusal('NOT_SENDER', 403);
    const el = await mount({ operatorId: BOB });
    const item = page.getByRole('listitem').filter({ hasText: CARD_FORM.title });
    await expect.element(item.getByRole('alert')).toHaveTextContent(/Only the agent who sent this form can read its answers/);
    await expect.element(item.getByRole('alert')).toHaveTextContent(/send a new form yourself/);
    expect(item.getByRole('button').query()).toBeNull();
    expect(backend.find('GET', `/invitations/${OTHER_INV}`)[0]?.headers.get('Secure-Forms-Session')).toBe(SESSION);
    await expectNoAxeViolations(el);

    // The other agent's submission is not this panel's to read.
    backend.push({
      type: 'submission',
      invitationId: OTHER_INV,
      submissionId: SID,
      retrieveOtk: OTK,
      retrieveOtkExpiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.find('POST', '/retrieve')).toHaveLength(0);
    expect(backend.find('POST', '/retrieve-otk')).toHaveLength(0);
    // Sending its own form still works.
    await page.getByRole('button', { name: 'Send secure form' }).click();
    await expect.element(page.getByRole('list', { name: 'Status' })).toHaveTextContent(/Sent/);
  });

  it('lists its own earlier forms (another tab, a reload) as sent, their answers unreadable here', async () => {
    backend.routes[`GET /v1/conversations/${CID}/messages`] = () => json(200, { messages: transcript(INV) });
    backend.routes[`GET /v1/invitations/${INV}`] = () =>
      json(200, invitation({ state: 'submitted', submissionId: SID, updatedAt: new Date(Date.now() + 1000).toISOString() }));
    await mount({ operatorId: BOB });
    await expect.element(page.getByRole('list', { name: 'Status' })).toHaveTextContent(/Submitted/);
    await expect.element(page.getByRole('alert')).toHaveTextContent(/does not hold the key/);
  });

  it('lists them when the conversation is transferred to it while it is open', async () => {
    const el = await mount({ operatorId: BOB });
    backend.routes[`GET /v1/conversations/${CID}/messages`] = () => json(200, { messages: transcript(OTHER_INV) });
    backend.routes[`GET /v1/invitations/${OTHER_INV}`] = () => refusal('NOT_SENDER', 403);
    backend.push(conversationEvent(BOB));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/Only the agent who sent this form/);
    expect(rendered(el)).not.toContain('transferred');
  });
});

describe('<secure-form-panel> hidden or closed by the host', () => {
  it('takes every value, revealed or masked, out of the DOM while hidden, and shows them masked again after', async () => {
    const el = await mount();
    await sendAndShowAnswers();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(CARD)).toBeVisible();

    el.hidden = true;
    await el.updateComplete;
    expect(el.hasAttribute('hidden')).toBe(true);
    expect(rendered(el)).not.toContain(CARD);
    expect(rendered(el)).not.toContain('411111');
    expect(rendered(el)).not.toContain(CARD_FORM.title);

    el.removeAttribute('hidden');
    await expect.element(page.getByText(MASKED)).toBeVisible();
    expect(rendered(el)).not.toContain(CARD);
    await expect.element(page.getByRole('button', { name: 'Reveal Card number' })).toHaveAttribute('aria-pressed', 'false');

    // The attribute works as the property does.
    el.setAttribute('hidden', '');
    await el.updateComplete;
    expect(rendered(el)).not.toContain('411111');
    el.hidden = false;
    await expect.element(page.getByText(MASKED)).toBeVisible();
  });

  it('does the same when an ancestor stops rendering it (display: none)', async () => {
    const wrapper = document.createElement('div');
    document.body.append(wrapper);
    const el = await mount({ parent: wrapper });
    await sendAndShowAnswers();
    await page.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect.element(page.getByText(CARD)).toBeVisible();

    wrapper.hidden = true;
    await expect.poll(() => el.shadowRoot?.textContent ?? '').not.toContain('Card number');
    expect(rendered(el)).not.toContain(CARD);

    wrapper.hidden = false;
    await expect.element(page.getByText(MASKED)).toBeVisible();
    expect(rendered(el)).not.toContain(CARD);
  });
});
