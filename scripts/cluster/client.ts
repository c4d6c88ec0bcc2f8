/**
 * The backend tests' harness calls (`request`, `session`, `startConversation`, `otk`) made over
 * HTTP to a running cluster's PCI origin, so that the cluster tests take the round trip's steps
 * with the same helpers as the backend tests (demo/server/src/test/flows.ts).
 */
import {
  CONVERSATION_HEADER,
  SESSION_HEADER,
  loginResponseSchema,
  otkAuthorization,
  startConversationResponseSchema,
} from '@secure-forms/shared';
import type { Client } from '../../demo/server/src/test/flows.js';

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A harness-shaped client of the PCI origin at `pci`, signing agents in with `password`. */
export function clusterClient(pci: string, password: string): Client {
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${pci}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });

  async function session(username: string) {
    const res = await request('/v1/sessions', { body: { siteId: 'demo', username, password } });
    if (res.status !== 201) throw new Error(`sign-in as ${username}: HTTP ${res.status} ${await res.text()}`);
    const body = loginResponseSchema.parse(await res.json());
    return { token: body.token, operatorId: body.operator.id, headers: { [SESSION_HEADER]: body.token } };
  }

  async function startConversation(visitorName = 'Vera Visitor') {
    const res = await request('/v1/conversations', { body: { siteId: 'demo', visitorName } });
    if (res.status !== 201) throw new Error(`start conversation: HTTP ${res.status} ${await res.text()}`);
    const body = startConversationResponseSchema.parse(await res.json());
    return { id: body.conversationId, token: body.conversationToken, headers: { [CONVERSATION_HEADER]: body.conversationToken } };
  }

  return { request, session, startConversation, otk: (key: string) => ({ Authorization: otkAuthorization(key) }) };
}
