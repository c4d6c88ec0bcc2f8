/**
 * The table of the API's operations: each one's route, credential, bodies, and the refusals its
 * own handler and domain can give (openapi.ts adds those every route of its kind can give). A test
 * (openapi-lint.test.ts) checks that this table and the routes name the same operations.
 */
import * as shared from '@secure-forms/shared';
import type { ErrorCode } from '@secure-forms/shared';
import type * as z from 'zod';
import { INTEGRATION_OPERATIONS } from './openapi-integration.js';
import { PASSKEY_OPERATIONS } from './openapi-passkeys.js';
import { OPEN_BODY_LIMIT } from './routes/invitations.js';

/**
 * What a request with a view or submit key is refused when its invitation is no longer open for
 * answers (Submissions' openInvitation: gone, its conversation ended, or the invitation finished).
 */
const KEYED_FORM_REFUSALS: ErrorCode[] = [
  'NOT_FOUND',
  'CONVERSATION_CLOSED',
  'INVITATION_EXPIRED',
  'INVITATION_CANCELLED',
  'ALREADY_SUBMITTED',
];

/** `apiCredential`: `Authorization: Bearer <API credential>`, the brand chat server's (never from a browser). */
export type Credential = 'session' | 'conversation' | 'otk' | 'apiCredential';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** Stable, for generated clients. */
  operationId: string;
  summary: string;
  credentials: Credential[];
  /** Refusals of this operation beyond those of its credentials and of every request. */
  refuses: ErrorCode[];
  request?: string;
  /** A `text/plain` body the operation takes instead of JSON: what it holds, and its schema. */
  textRequest?: { description: string; schema: z.core.$ZodType };
  /** Success statuses: the schema name of the body, or null (no body, or an event stream). */
  responses: Record<string, string | null>;
  /** An event stream (SSE): the schema of each `data:` line. */
  events?: string;
}

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/sessions',
    operationId: 'signIn',
    refuses: ['INVALID_CREDENTIALS', 'TOTP_WRONG', 'TOTP_REUSED', 'ACCOUNT_LOCKED', 'FORBIDDEN', 'RATE_LIMITED', 'SERVICE_BUSY'],
    summary: 'Log in (password, then TOTP where required)',
    credentials: [],
    request: 'LoginRequest',
    responses: { '201': 'LoginResponse', '200': 'SecondFactorChallenge' },
  },
  {
    method: 'post',
    path: '/sessions/second-factor',
    operationId: 'completeSignIn',
    refuses: ['UNAUTHENTICATED', 'TOTP_WRONG', 'TOTP_REUSED', 'ACCOUNT_LOCKED', 'RATE_LIMITED', 'SERVICE_BUSY'],
    summary: 'Complete a login with a TOTP code',
    credentials: [],
    request: 'SecondFactorRequest',
    responses: { '201': 'LoginResponse' },
  },
  {
    method: 'post',
    path: '/sessions/token-exchange',
    operationId: 'exchangeWorkspaceToken',
    refuses: [
      'WORKSPACE_TOKEN_INVALID',
      'WORKSPACE_TOKEN_UNTRUSTED',
      'WORKSPACE_TOKEN_EXPIRED',
      'WORKSPACE_TOKEN_WRONG_AUDIENCE',
      'WORKSPACE_TOKEN_REPLAYED',
      'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED',
      'SECOND_FACTOR_REQUIRED',
      'INVALID_CREDENTIALS',
      'FORBIDDEN',
      'RATE_LIMITED',
      'SERVICE_BUSY',
    ],
    summary:
      "Sign an agent in with a workspace token (RFC 8693 token exchange, JSON body): a JWT the brand's workspace backend signed with a key registered for the site (in the sites file, or published at its jwksUri: 503 SERVICE_BUSY with Retry-After while that cannot be read), at most 5 minutes' lifetime, each jti once; the session as a password sign-in's, or the TOTP challenge where the site asks for a second factor and the token's amr shows none",
    credentials: [],
    request: 'TokenExchangeRequest',
    responses: { '201': 'TokenExchangeResponse', '200': 'SecondFactorChallenge' },
  },
  {
    method: 'get',
    path: '/sso/{siteId}',
    operationId: 'singleSignOnProvider',
    refuses: ['NOT_FOUND'],
    summary:
      "Whether the site signs operators in with its identity provider (OpenID Connect), and the provider's name for the sign-in button",
    credentials: [],
    responses: { '200': 'SsoProviderResponse' },
  },
  {
    method: 'post',
    path: '/sso/complete',
    operationId: 'completeSingleSignOn',
    refuses: ['NOT_FOUND', 'INVALID_CREDENTIALS', 'FORBIDDEN', 'ACCOUNT_LOCKED', 'SERVICE_BUSY'],
    summary:
      "Exchange the hand-off code (single use, a minute) for the session a password sign-in gives, or the TOTP challenge where the site asks for a second factor and the ID token's amr shows none; a refused sign-in's reason is in fields[].reason (path sso)",
    credentials: [],
    request: 'SsoCompleteRequest',
    responses: { '201': 'LoginResponse', '200': 'SecondFactorChallenge' },
  },
  {
    method: 'post',
    path: '/sso/{siteId}/logout',
    operationId: 'singleSignOnLogout',
    refuses: ['NOT_FOUND'],
    summary:
      "End the session; with `?returnTo=<a page on a brand origin>`, answer the identity provider's end-session URL (RP-initiated logout) when it has one",
    credentials: ['session'],
    responses: { '200': 'SsoLogoutResponse' },
  },
  {
    method: 'delete',
    path: '/sessions/current',
    operationId: 'signOut',
    refuses: [],
    summary: 'Log out (invalidates the token)',
    credentials: ['session'],
    responses: { '204': null },
  },
  {
    method: 'post',
    path: '/sessions/current/password',
    operationId: 'changePassword',
    refuses: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
    summary:
      "Change the signed-in operator's own password: the current one (a wrong one counts towards the lock), then a new one that meets the site's policy, is not a common password and is none of the last 4; ends every other session of the operator",
    credentials: ['session'],
    request: 'ChangePasswordRequest',
    responses: { '204': null },
  },
  {
    method: 'get',
    path: '/operators',
    operationId: 'listOperators',
    refuses: ['FORBIDDEN', 'RATE_LIMITED'],
    summary: "The site's operators and whether each is locked (admin)",
    credentials: ['session'],
    responses: { '200': 'OperatorListResponse' },
  },
  {
    method: 'get',
    path: '/agents',
    operationId: 'listAgents',
    refuses: ['RATE_LIMITED'],
    summary: 'The agents a conversation can be transferred to: not locked, not the caller',
    credentials: ['session'],
    responses: { '200': 'AgentListResponse' },
  },
  {
    method: 'post',
    path: '/operators/{id}/enable',
    operationId: 'enableOperator',
    refuses: ['FORBIDDEN', 'NOT_FOUND'],
    summary: 'Re-enable a locked operator (admin)',
    credentials: ['session'],
    responses: { '200': 'OperatorStatus' },
  },
  {
    method: 'get',
    path: '/forms',
    operationId: 'listForms',
    refuses: [],
    summary: "The site's forms",
    credentials: ['session'],
    responses: { '200': 'FormCatalogResponse' },
  },
  {
    method: 'post',
    path: '/conversations',
    operationId: 'startConversation',
    refuses: ['NOT_FOUND', 'RATE_LIMITED'],
    summary: 'A visitor starts a conversation',
    credentials: [],
    request: 'StartConversationRequest',
    responses: { '201': 'StartConversationResponse' },
  },
  {
    method: 'get',
    path: '/conversations',
    operationId: 'listConversations',
    refuses: [],
    summary: "The site's conversations",
    credentials: ['session'],
    responses: { '200': 'ConversationListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/assign',
    operationId: 'assignConversation',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'Assign the caller',
    credentials: ['session'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/join',
    operationId: 'joinConversation',
    refuses: ['NOT_FOUND', 'CONVERSATION_CLOSED'],
    summary: 'Join (watch) without being assigned',
    credentials: ['session'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/transfer',
    operationId: 'transferConversation',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'Transfer to another agent',
    credentials: ['session'],
    request: 'TransferRequest',
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/close',
    operationId: 'closeConversation',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED'],
    summary: 'Close',
    credentials: ['session', 'conversation'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/messages',
    operationId: 'listMessages',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED', 'VALIDATION_FAILED'],
    summary: 'The transcript',
    credentials: ['session', 'conversation'],
    responses: { '200': 'MessageListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/messages',
    operationId: 'postMessage',
    refuses: ['NOT_FOUND', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED', 'RATE_LIMITED'],
    summary: 'Post a message',
    credentials: ['session', 'conversation'],
    request: 'PostMessageRequest',
    responses: { '201': 'ConversationMessage' },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/events',
    operationId: 'visitorEvents',
    refuses: ['NOT_FOUND', 'CONVERSATION_CLOSED', 'RATE_LIMITED'],
    summary: "The visitor's event stream (SSE, data: VisitorEvent)",
    events: 'VisitorEvent',
    credentials: ['conversation'],
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/agent/events',
    operationId: 'operatorEvents',
    refuses: [],
    summary: "The operator's event stream (SSE, data: AgentEvent)",
    events: 'AgentEvent',
    credentials: ['session'],
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/history',
    operationId: 'listHistory',
    refuses: ['FORBIDDEN', 'NOT_FOUND'],
    summary: 'Responses in history (view-responses-in-history)',
    credentials: ['session'],
    responses: { '200': 'HistoryListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/invitations',
    operationId: 'sendInvitation',
    refuses: ['FORBIDDEN', 'FORM_NOT_FOUND', 'NOT_FOUND', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'Send a secure form',
    credentials: ['session'],
    request: 'CreateInvitationRequest',
    responses: { '201': 'InvitationView' },
  },
  {
    method: 'get',
    path: '/invitations/{iid}',
    operationId: 'getInvitation',
    refuses: ['NOT_FOUND', 'NOT_SENDER'],
    summary: 'An invitation, for its sender',
    credentials: ['session'],
    responses: { '200': 'InvitationView' },
  },
  {
    method: 'post',
    path: '/invitations/{iid}/cancel',
    operationId: 'cancelInvitation',
    refuses: ['NOT_FOUND', 'NOT_SENDER', 'INVITATION_EXPIRED', 'INVITATION_CANCELLED', 'ALREADY_SUBMITTED'],
    summary: 'Cancel an invitation (sender)',
    credentials: ['session'],
    responses: { '200': 'InvitationView' },
  },
  {
    method: 'post',
    path: '/invitations/{iid}/open',
    operationId: 'openInvitation',
    refuses: [
      'NOT_FOUND',
      'VALIDATION_FAILED',
      'CONVERSATION_CLOSED',
      'OPEN_LIMIT_REACHED',
      'INVITATION_EXPIRED',
      'INVITATION_CANCELLED',
      'ALREADY_SUBMITTED',
    ],
    summary: 'The visitor opens an invitation: a view OTK',
    credentials: ['conversation'],
    textRequest: {
      description:
        `The conversation token alone, instead of the ${shared.CONVERSATION_HEADER} header (not both): ` +
        'with no custom header a browser sends it as a CORS simple request, without a preflight. ' +
        "The Origin is still checked against the conversation's site before anything happens. " +
        `At most ${OPEN_BODY_LIMIT} bytes.`,
      schema: shared.tokenSchema,
    },
    responses: { '200': 'OpenInvitationResponse' },
  },
  {
    method: 'post',
    path: '/forms/view',
    operationId: 'viewForm',
    refuses: KEYED_FORM_REFUSALS,
    summary: 'Redeem a view OTK',
    credentials: ['otk'],
    responses: { '200': 'ViewFormResponse' },
  },
  {
    method: 'post',
    path: '/submissions',
    operationId: 'submitAnswers',
    refuses: KEYED_FORM_REFUSALS,
    summary: 'Submit sealed answers',
    credentials: ['otk'],
    request: 'SubmitRequest',
    responses: { '201': 'SubmitResponse' },
  },
  {
    method: 'post',
    path: '/submissions/extend',
    operationId: 'extendSubmitWindow',
    refuses: KEYED_FORM_REFUSALS,
    summary: 'Trade the submit OTK for more time',
    credentials: ['otk'],
    responses: { '200': 'ExtendResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/retrieve',
    operationId: 'retrieveSubmission',
    refuses: ['NOT_FOUND', 'NOT_SENDER', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'Retrieve (sender, retrieve OTK)',
    credentials: ['otk', 'session'],
    responses: { '200': 'RetrieveResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/retrieve-otk',
    operationId: 'newRetrieveOtk',
    refuses: ['NOT_FOUND', 'NOT_SENDER', 'NOT_ASSIGNED', 'CONVERSATION_CLOSED'],
    summary: 'A fresh retrieve OTK (sender)',
    credentials: ['session'],
    responses: { '200': 'RetrieveOtkResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/history-view',
    operationId: 'viewInHistory',
    refuses: ['FORBIDDEN', 'NOT_FOUND'],
    summary: 'Re-seal a response for a manager (view-responses-in-history)',
    credentials: ['session'],
    request: 'HistoryViewRequest',
    responses: { '200': 'HistoryViewResponse' },
  },
  ...INTEGRATION_OPERATIONS,
  ...PASSKEY_OPERATIONS,
];
