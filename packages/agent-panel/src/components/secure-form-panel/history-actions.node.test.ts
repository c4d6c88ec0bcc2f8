import type { HistoryEntry } from '@secure-forms/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { HistoryActions } from './history-actions.js';
import { CID, FakeBackend, INV, PCI, SESSION, SID, TestHost, json, refusal, serveHistoryView, testContext } from './panel-test-support.js';

const response: HistoryEntry = {
  submissionId: SID,
  invitationId: INV,
  formId: 'card-payment',
  formRef: 'card-payment@1',
  formTitle: 'Card payment',
  agentId: 'operator-alice',
  submittedAt: new Date(0).toISOString(),
  viewable: true,
};

describe('HistoryActions', () => {
  let backend: FakeBackend;
  let host: TestHost;
  let context: ReturnType<typeof testContext>;
  let history: HistoryActions;
  /** The public keys the views were sealed to, in order. */
  let keys: unknown[];

  beforeEach(() => {
    backend = new FakeBackend();
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => backend.fetch(input, init));
    host = new TestHost();
    context = testContext(host);
    history = new HistoryActions(host, context);
    backend.routes[`GET /v1/conversations/${CID}/history`] = () => json(200, { responses: [response] });
    keys = serveHistoryView(backend, { cardNumber: TEST_CARDS.mastercard.number }, () => response.submittedAt);
  });

  afterEach(() => {
    context.scope.close();
    vi.unstubAllGlobals();
  });

  it('lists the responses, each closed', async () => {
    await history.load(context.scope.open(PCI, SESSION).api);
    expect(history.items).toEqual([{ entry: response, view: { status: 'idle' } }]);
    history.clear();
    expect(history.items).toBeNull();
  });

  it('opens each view with a key pair of its own, and closes it again', async () => {
    await history.load(context.scope.open(PCI, SESSION).api);
    const item = history.items![0]!;
    await history.open(item);
    expect(item.view).toMatchObject({ status: 'ready' });
    history.close(item);
    expect(item.view).toEqual({ status: 'idle' });
    await history.open(item);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toEqual(keys[1]);
  });

  it('shows a refused list at panel level, and a refused view on the response', async () => {
    backend.routes[`GET /v1/conversations/${CID}/history`] = () => refusal('FORBIDDEN', 403);
    await history.load(context.scope.open(PCI, SESSION).api);
    expect([history.items, context.problems]).toEqual([[], ['FORBIDDEN']]);
    backend.routes[`POST /v1/submissions/${SID}/history-view`] = () => refusal('NOT_FOUND', 404);
    const item = { entry: response, view: { status: 'idle' } as const };
    await history.open(item);
    expect(item.view).toEqual({ status: 'failed', code: 'NOT_FOUND' });
    expect(host.types()).toEqual(['secure-form-panel-error']);
  });
});
