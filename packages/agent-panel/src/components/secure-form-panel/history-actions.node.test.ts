import { publicJwkSchema, sealAnswers, type HistoryEntry } from '@secure-forms/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { HistoryActions } from './history-actions.js';
import { CID, FakeBackend, INV, PCI, SESSION, SID, TestHost, json, refusal, testContext } from './panel-test-support.js';

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
    keys = [];
    backend.routes[`GET /v1/conversations/${CID}/history`] = () => json(200, { responses: [response] });
    backend.routes[`POST /v1/submissions/${SID}/history-view`] = async (body) => {
      const { publicKey } = JSON.parse(body) as { publicKey: unknown };
      keys.push(publicKey);
      const onTheRecord = await sealAnswers({ cardNumber: TEST_CARDS.mastercard.number }, [publicJwkSchema.parse(publicKey)], {
        invitationId: INV,
        siteId: 'demo',
        formRef: 'card-payment@1',
        part: 'on-the-record',
      });
      return json(200, {
        submissionId: SID,
        invitationId: INV,
        siteId: 'demo',
        formRef: 'card-payment@1',
        submittedAt: response.submittedAt,
        onTheRecord,
        hints: { cardBrand: 'mastercard', lastFour: '4444' },
      });
    };
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
