/**
 * The operations of the brand chat integration, for the OpenAPI document (openapi-operations.ts
 * lists them with the rest): an admin's API credentials, and the brand chat server's own routes.
 */
import type { Operation } from './openapi-operations.js';

export const INTEGRATION_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api-credentials',
    operationId: 'createApiCredential',
    refuses: ['FORBIDDEN'],
    summary:
      "Create an API credential for the site's chat server (admin); the credential is in this response only, and only its hash is stored. At most 5 active per site",
    credentials: ['session'],
    request: 'CreateApiCredentialRequest',
    responses: { '201': 'CreatedApiCredential' },
  },
  {
    method: 'get',
    path: '/api-credentials',
    operationId: 'listApiCredentials',
    refuses: ['FORBIDDEN'],
    summary: "The site's API credentials, revoked ones included, never a secret (admin)",
    credentials: ['session'],
    responses: { '200': 'ApiCredentialListResponse' },
  },
  {
    method: 'post',
    path: '/api-credentials/{id}/revoke',
    operationId: 'revokeApiCredential',
    refuses: ['FORBIDDEN', 'NOT_FOUND'],
    summary: "Revoke an API credential (admin): it stops working at once, the site's others go on",
    credentials: ['session'],
    responses: { '200': 'ApiCredential' },
  },
  {
    method: 'post',
    path: '/integration/conversations',
    operationId: 'registerConversation',
    refuses: [],
    summary:
      "The brand's chat server registers its conversation by its own id: 201 and a new conversation, or 200 and the same conversation and visitor token for an id already registered",
    credentials: ['apiCredential'],
    request: 'RegisterConversationRequest',
    responses: { '201': 'RegisteredConversation', '200': 'RegisteredConversation' },
  },
  {
    method: 'get',
    path: '/integration/conversations/{cid}',
    operationId: 'getRegisteredConversation',
    refuses: ['NOT_FOUND'],
    summary: 'A registered conversation: its state and assigned agent (by the brand agent id)',
    credentials: ['apiCredential'],
    responses: { '200': 'IntegrationConversation' },
  },
  {
    method: 'post',
    path: '/integration/conversations/{cid}/assign',
    operationId: 'assignRegisteredConversation',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'Assign a waiting conversation to the agent with this brand agent id (NOT_ASSIGNED when another agent has it: transfer)',
    credentials: ['apiCredential'],
    request: 'ExternalAgentRequest',
    responses: { '200': 'IntegrationConversation' },
  },
  {
    method: 'post',
    path: '/integration/conversations/{cid}/transfer',
    operationId: 'transferRegisteredConversation',
    refuses: ['NOT_FOUND', 'CONVERSATION_CLOSED'],
    summary: "Hand the conversation to the agent with this brand agent id; the previous agent's open forms are cancelled",
    credentials: ['apiCredential'],
    request: 'ExternalAgentRequest',
    responses: { '200': 'IntegrationConversation' },
  },
  {
    method: 'post',
    path: '/integration/conversations/{cid}/close',
    operationId: 'closeRegisteredConversation',
    refuses: ['NOT_FOUND'],
    summary: 'Close a registered conversation',
    credentials: ['apiCredential'],
    responses: { '200': 'IntegrationConversation' },
  },
  {
    method: 'get',
    path: '/integration/conversations/{cid}/invitations',
    operationId: 'listRegisteredConversationInvitations',
    refuses: ['NOT_FOUND'],
    summary: "A registered conversation's invitations and their states",
    credentials: ['apiCredential'],
    responses: { '200': 'IntegrationInvitationListResponse' },
  },
];
