/** Steps of the brand chat server's API, for tests: a credential, a registered conversation. */
import {
  bearerAuthorization,
  CONVERSATION_HEADER,
  createdApiCredentialSchema,
  registeredConversationSchema,
  type CreatedApiCredential,
} from '@secure-forms/shared';
import { expect } from 'vitest';
import type { H } from './flows.js';

/** An admin (ada) creates an API credential for the demo site. */
export async function createCredential(h: H, label = 'chat server'): Promise<CreatedApiCredential & { headers: Record<string, string> }> {
  const ada = await h.session('ada');
  const res = await h.request('/v1/api-credentials', { headers: ada.headers, body: { label } });
  expect(res.status).toBe(201);
  const created = createdApiCredentialSchema.parse(await res.json());
  return { ...created, headers: { Authorization: bearerAuthorization(created.credential) } };
}

/** The brand's server registers its conversation `externalId`. */
export async function register(h: H, headers: Record<string, string>, externalId = 'brand-conv-1', visitorName = 'Vera Visitor') {
  const res = await h.request('/v1/integration/conversations', { headers, body: { externalId, visitorName } });
  expect([200, 201]).toContain(res.status);
  const body = registeredConversationSchema.parse(await res.json());
  return { status: res.status, ...body, id: body.conversationId, visitorHeaders: { [CONVERSATION_HEADER]: body.conversationToken } };
}
