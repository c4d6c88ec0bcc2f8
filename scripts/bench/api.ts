// The demo's /v1 API, as the bench uses it to set things up (the measured load goes through
// autocannon, see load.ts). The same sequence as demo/server/src/test/flows.ts, over HTTP.
import { request as httpRequest } from 'node:http';
import { createParser } from 'eventsource-parser';
import {
  type AgentEvent,
  type Conversation,
  type LoginResponse,
  type OpenFormResponse,
  type PublicJwk,
  type RecordPart,
  type SubmitRequest,
  type SubmitResponse,
  type ViewFormResponse,
  CONVERSATION_HEADER,
  SESSION_HEADER,
  generateInvitationKeyPair,
  otkAuthorization,
  sealAnswers,
} from '@secure-forms/shared';

import { CVV, TEST_CARDS } from '../../fixtures/cards.ts';

export { CONVERSATION_HEADER, SESSION_HEADER, otkAuthorization, CVV };

export const CARD = TEST_CARDS.visa;
export const POSTCODE = 'SW1A 1AA';

/** A signed-in agent: the session token and the header that carries it. */
export interface Session {
  token: string;
  operatorId: string;
  headers: Record<string, string>;
}
/** A visitor's conversation: its id, its token and the header that carries it. */
export interface VisitorConversation {
  id: string;
  token: string;
  headers: Record<string, string>;
}
/** The submit body without its invitation id: what the bench seals once and sends with every submission. */
export type Envelopes = Omit<SubmitRequest, 'invitationId'>;

/** The demo's /v1 API over fetch. Answers are parsed, not checked: the server's own tests check them. */
export class Api {
  readonly pciOrigin: string;

  constructor(pciOrigin: string) {
    this.pciOrigin = pciOrigin;
  }

  /** One request; the parsed JSON answer (null for an empty one), or an error for a status not in `expect`. */
  async call<T>(
    path: string,
    {
      method = 'POST',
      headers = {},
      body,
      expect = [200, 201],
    }: { method?: string; headers?: Record<string, string>; body?: unknown; expect?: number[] } = {},
  ): Promise<T> {
    const res = await fetch(`${this.pciOrigin}/v1${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Sign an agent in. */
  async login(username: string, password: string): Promise<Session> {
    const body = await this.call<LoginResponse>('/sessions', { body: { siteId: 'demo', username, password }, expect: [201] });
    return { token: body.token, operatorId: body.operator.id, headers: { [SESSION_HEADER]: body.token } };
  }

  /** Start a visitor's chat. */
  async startConversation(visitorName: string): Promise<VisitorConversation> {
    const body = await this.call<{ conversationId: string; conversationToken: string }>('/conversations', {
      body: { siteId: 'demo', visitorName },
      expect: [201],
    });
    return { id: body.conversationId, token: body.conversationToken, headers: { [CONVERSATION_HEADER]: body.conversationToken } };
  }

  /** The agent takes the conversation. */
  assign(session: Session, conversationId: string): Promise<unknown> {
    return this.call<unknown>(`/conversations/${conversationId}/assign`, { headers: session.headers, expect: [200] });
  }

  /** The agent's queue. */
  async conversations(session: Session): Promise<Conversation[]> {
    return (
      await this.call<{ conversations: Conversation[] }>('/conversations', { method: 'GET', headers: session.headers, expect: [200] })
    ).conversations;
  }

  /** Send the card form; the invitation's id. */
  async invite(session: Session, conversationId: string, publicJwk: PublicJwk): Promise<string> {
    return (
      await this.call<{ id: string }>(`/conversations/${conversationId}/invitations`, {
        headers: session.headers,
        body: { formId: 'card-payment', publicKey: publicJwk },
        expect: [201],
      })
    ).id;
  }

  /** Open the invitation as the frame does, in one request (the token in its header, no body): the form, its keys and a submit key. */
  openForm(conversation: VisitorConversation, invitationId: string): Promise<OpenFormResponse> {
    return this.call<OpenFormResponse>(`/invitations/${invitationId}/view`, { headers: conversation.headers, expect: [200] });
  }

  /** Submit sealed answers; the submission's id. */
  async submit(submitOtk: string, body: SubmitRequest): Promise<string> {
    return (
      await this.call<SubmitResponse>('/submissions', { headers: { Authorization: otkAuthorization(submitOtk) }, body, expect: [201] })
    ).submissionId;
  }

  /** Retrieve a submission's envelopes. */
  retrieve(session: Session, submissionId: string, retrieveOtk: string): Promise<unknown> {
    return this.call<unknown>(`/submissions/${submissionId}/retrieve`, {
      headers: { ...session.headers, Authorization: otkAuthorization(retrieveOtk) },
      expect: [200],
    });
  }

  /** A fresh retrieve key for a submission. */
  async retrieveOtk(session: Session, submissionId: string): Promise<string> {
    return (
      await this.call<{ retrieveOtk: string }>(`/submissions/${submissionId}/retrieve-otk`, { headers: session.headers, expect: [200] })
    ).retrieveOtk;
  }

  /**
   * The agent's event stream, read with node:http and fed to eventsource-parser in the socket's own
   * `data` callback, so each event is handled there (no stream pipeline in between). Returns `close()`.
   */
  agentEvents(session: Pick<Session, 'headers'>, onEvent: (event: AgentEvent) => void): Promise<{ close: () => void }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${this.pciOrigin}/v1/agent/events`,
        { headers: { ...session.headers, Accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`agent events: ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          const parser = createParser({
            onEvent: ({ data }) => {
              if (data) onEvent(JSON.parse(data) as AgentEvent);
            },
          });
          res.on('data', (chunk: string) => parser.feed(chunk));
          res.on('error', () => undefined);
          resolve({ close: () => req.destroy() });
        },
      );
      req.on('error', (error) => reject(error));
      req.end();
    });
  }
}

/** The binding of an envelope, as the frame makes it from the view response. */
export function bindingOf(view: ViewFormResponse, part: RecordPart) {
  return { invitationId: view.invitationId, siteId: view.siteId, formRef: `${view.form.id}@${view.form.version}`, part };
}

/** The submit body the frame would send for the card form. */
export async function sealedSubmission(view: ViewFormResponse): Promise<SubmitRequest> {
  return {
    invitationId: view.invitationId,
    onTheRecord: await sealAnswers(
      { cardNumber: CARD.number, billingPostcode: POSTCODE },
      view.recordKeys,
      bindingOf(view, 'on-the-record'),
    ),
    offTheRecord: await sealAnswers({ cvv: CVV }, [view.offTheRecordKey], bindingOf(view, 'off-the-record')),
    fieldIds: { onTheRecord: ['cardNumber', 'billingPostcode'], offTheRecord: ['cvv'] },
    hints: { cardBrand: 'visa', lastFour: '1111' },
  };
}

export { generateInvitationKeyPair };
