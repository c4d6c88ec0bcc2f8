import type { AgentEvent, Conversation } from '@secure-forms/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvitationActions } from './invitation-actions.js';
import type { InvitationLedger } from './invitation-ledger.js';
import {
  CID,
  FakeBackend,
  INV,
  OTHER_INV,
  OTK,
  PCI,
  SESSION,
  SID,
  TestHost,
  invitation,
  json,
  refusal,
  sealedReply,
  submissionEvent,
  testContext,
} from './panel-test-support.js';
import type { SessionScope } from './session-scope.js';

const ALICE = 'operator-alice'; // TestHost's operator
const BOB = 'operator-bob';

function conversationEvent(state: Conversation['state'], assignedAgentId: string | null): AgentEvent {
  const conversation: Conversation = {
    id: CID,
    siteId: 'demo',
    state,
    visitorName: 'Visitor',
    assignedAgentId,
    createdAt: new Date().toISOString(),
  };
  return { type: 'conversation', conversation };
}

let backend: FakeBackend;
let host: TestHost;
let scope: SessionScope;
let invitations: InvitationLedger;
let problems: ReturnType<typeof testContext>['problems'];
let actions: InvitationActions;

beforeEach(() => {
  backend = new FakeBackend();
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => backend.fetch(input, init));
  host = new TestHost();
  const context = testContext(host);
  ({ scope, invitations, problems } = context);
  actions = new InvitationActions(host, context);
});

afterEach(() => {
  scope.close();
  vi.unstubAllGlobals();
});

/** Open the scope and follow the event stream, as the panel does when it starts. */
async function follow(): Promise<void> {
  const { api, signal } = scope.open(PCI, SESSION);
  actions.follow(api, signal);
  await vi.waitFor(() => expect(backend.streamsOpened).toBe(1));
}

describe('InvitationActions', () => {
  it('sends with a fresh public key, lists the invitation and tells the host', async () => {
    scope.open(PCI, SESSION);
    await actions.send('card-payment');
    expect(backend.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(invitations.get(INV)?.state).toBe('sent');
    expect(host.types()).toContain('secure-form-panel-sent');
    expect(actions.sending).toBe(false);
  });

  it('sends nothing without an open scope or for a form not in the catalogue', async () => {
    await actions.send('card-payment');
    scope.open(PCI, SESSION);
    await actions.send('unknown-form');
    expect(backend.find('POST', '/invitations')).toHaveLength(0);
  });

  it('retrieves a submission with the OTK the stream handed over and opens the answers', async () => {
    await follow();
    await actions.send('card-payment');
    backend.retrieveReplies = [() => sealedReply(backend)];
    backend.push(submissionEvent());
    await vi.waitFor(() => expect(invitations.get(INV)?.retrieval.status).toBe('ready'));
    expect(backend.find('POST', '/retrieve')[0]?.headers.get('Authorization')).toBe(`OTK ${OTK}`);
    expect(host.types()).toContain('secure-form-panel-submitted');
  });

  it('after the conversation closed, sends nothing and says why the answers cannot be read', async () => {
    await follow();
    await actions.send('card-payment');
    backend.push(conversationEvent('closed', ALICE));
    await vi.waitFor(() => expect(actions.conversationClosed).toBe(true));
    await actions.send('card-payment');
    expect(backend.find('POST', '/invitations')).toHaveLength(1);
    const entry = invitations.get(INV)!;
    entry.submissionId = SID;
    await actions.retrieve(entry);
    expect(entry.retrieval).toEqual({ status: 'failed', code: 'CONVERSATION_CLOSED' });
  });

  it('on a transfer drops the keys and says so once; assigned back, it clears that problem', async () => {
    await follow();
    await actions.send('card-payment');
    backend.push(conversationEvent('active', BOB));
    backend.push(conversationEvent('active', BOB));
    await vi.waitFor(() => expect(actions.transferred).toBe(true));
    expect(invitations.get(INV)?.retrieval).toEqual({ status: 'failed', code: 'TRANSFERRED' });
    backend.push(conversationEvent('active', ALICE));
    await vi.waitFor(() => expect(actions.transferred).toBe(false));
    expect(problems).toEqual([null, 'TRANSFERRED', 'clear TRANSFERRED']);
  });

  it('takes a NOT_ASSIGNED retrieve as a transfer', async () => {
    await follow();
    await actions.send('card-payment');
    backend.retrieveReplies = [() => refusal('NOT_ASSIGNED', 403)];
    backend.push(submissionEvent());
    await vi.waitFor(() => expect(actions.transferred).toBe(true));
    expect(problems).toContain('TRANSFERRED');
  });

  it("lists another agent's form from the transcript with the backend's refusal, and reads none of it", async () => {
    backend.routes[`GET /v1/conversations/${CID}/messages`] = () =>
      json(200, {
        messages: [{ kind: 'invitation', id: 'm0', at: new Date().toISOString(), invitationId: OTHER_INV, formTitle: 'Card payment' }],
      });
    backend.routes[`GET /v1/invitations/${OTHER_INV}`] = () => refusal('NOT_SENDER', 403);
    await follow();
    await vi.waitFor(() => expect(invitations.get(OTHER_INV)?.retrieval).toEqual({ status: 'failed', code: 'NOT_SENDER' }));
    backend.push({ ...submissionEvent(), invitationId: OTHER_INV } as AgentEvent);
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.find('POST', '/retrieve')).toHaveLength(0);
  });

  it('drops the result of a request whose scope closed meanwhile', async () => {
    scope.open(PCI, SESSION);
    const sending = actions.send('card-payment');
    scope.close();
    await sending;
    expect(invitations.has(INV)).toBe(false);
    expect(host.types()).not.toContain('secure-form-panel-sent');
  });

  it('keeps no invitation of another conversation', async () => {
    await follow();
    backend.push({ type: 'invitation', invitation: invitation({ conversationId: '55555555-5555-4555-8555-555555555555' }) });
    backend.push({ type: 'invitation', invitation: invitation() });
    await vi.waitFor(() => expect(invitations.has(INV)).toBe(true));
    expect(invitations.newestFirst()).toHaveLength(1);
  });
});
