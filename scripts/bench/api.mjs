// The demo's /v1 API, as the bench uses it to set things up (the measured load goes through
// autocannon, see load.mjs). The same sequence as demo/server/src/test/flows.ts, over HTTP.
import { request as httpRequest } from 'node:http';
import { CONVERSATION_HEADER, SESSION_HEADER, generateInvitationKeyPair, otkAuthorization, sealAnswers } from '@secure-forms/shared';

import { CVV, TEST_CARDS } from '../../fixtures/cards.ts';

export { CONVERSATION_HEADER, SESSION_HEADER, otkAuthorization, CVV };

export const CARD = TEST_CARDS.visa;
export const POSTCODE = 'SW1A 1AA';

export class Api {
  /** @param {string} pciOrigin */
  constructor(pciOrigin) {
    this.pciOrigin = pciOrigin;
  }

  async call(path, { method = 'POST', headers = {}, body, expect = [200, 201] } = {}) {
    const res = await fetch(`${this.pciOrigin}/v1${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : null;
  }

  async login(username, password) {
    const body = await this.call('/sessions', { body: { siteId: 'demo', username, password }, expect: [201] });
    return { token: body.token, operatorId: body.operator.id, headers: { [SESSION_HEADER]: body.token } };
  }

  async startConversation(visitorName) {
    const body = await this.call('/conversations', { body: { siteId: 'demo', visitorName }, expect: [201] });
    return { id: body.conversationId, token: body.conversationToken, headers: { [CONVERSATION_HEADER]: body.conversationToken } };
  }

  assign(session, conversationId) {
    return this.call(`/conversations/${conversationId}/assign`, { headers: session.headers, expect: [200] });
  }

  async conversations(session) {
    return (await this.call('/conversations', { method: 'GET', headers: session.headers, expect: [200] })).conversations;
  }

  async invite(session, conversationId, publicJwk) {
    return (
      await this.call(`/conversations/${conversationId}/invitations`, {
        headers: session.headers,
        body: { formId: 'card-payment', publicKey: publicJwk },
        expect: [201],
      })
    ).id;
  }

  async open(conversation, invitationId) {
    return (await this.call(`/invitations/${invitationId}/open`, { headers: conversation.headers, expect: [200] })).viewOtk;
  }

  view(viewOtk) {
    return this.call('/forms/view', { headers: { Authorization: otkAuthorization(viewOtk) }, expect: [200] });
  }

  async submit(submitOtk, body) {
    return (await this.call('/submissions', { headers: { Authorization: otkAuthorization(submitOtk) }, body, expect: [201] })).submissionId;
  }

  retrieve(session, submissionId, retrieveOtk) {
    return this.call(`/submissions/${submissionId}/retrieve`, {
      headers: { ...session.headers, Authorization: otkAuthorization(retrieveOtk) },
      expect: [200],
    });
  }

  async retrieveOtk(session, submissionId) {
    return (await this.call(`/submissions/${submissionId}/retrieve-otk`, { headers: session.headers, expect: [200] })).retrieveOtk;
  }

  /**
   * The agent's event stream, read with node:http so each event is handled in the socket's own
   * `data` callback (no stream pipeline in between). Returns `close()`.
   * @param {{ headers: Record<string, string> }} session
   * @param {(event: any) => void} onEvent
   */
  agentEvents(session, onEvent) {
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
          let buffer = '';
          res.on('data', (chunk) => {
            buffer += chunk;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block
                .split('\n')
                .filter((line) => line.startsWith('data:'))
                .map((line) => line.slice(5).trimStart())
                .join('\n');
              if (data) onEvent(JSON.parse(data));
            }
          });
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
export function bindingOf(view, part) {
  return { invitationId: view.invitationId, siteId: view.siteId, formRef: `${view.form.id}@${view.form.version}`, part };
}

/** The submit body the frame would send for the card form. */
export async function sealedSubmission(view) {
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
