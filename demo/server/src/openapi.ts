/**
 * The OpenAPI 3.1 document of the `/v1` API, generated from the same zod schemas the server parses
 * requests with (packages/shared/src/api.ts) by zod 4's own `z.toJSONSchema`. Served at
 * `/v1/openapi.json`; `npm run openapi -w @secure-forms/demo` writes docs/openapi.json.
 */
import * as shared from '@secure-forms/shared';
import * as z from 'zod';
import { OPEN_BODY_LIMIT } from './routes/invitations.js';

type Credential = 'session' | 'conversation' | 'otk';

interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  credentials: Credential[];
  request?: string;
  /** A `text/plain` body the operation takes instead of JSON: what it holds, and its schema. */
  textRequest?: { description: string; schema: z.core.$ZodType };
  responses: Record<string, string | null>;
}

/** Every named schema that appears in the document. */
const SCHEMAS: Record<string, z.core.$ZodType> = {
  LoginRequest: shared.loginRequestSchema,
  LoginResponse: shared.loginResponseSchema,
  SecondFactorChallenge: shared.secondFactorChallengeSchema,
  SecondFactorRequest: shared.secondFactorRequestSchema,
  OperatorStatus: shared.operatorStatusSchema,
  OperatorListResponse: shared.operatorListResponseSchema,
  AgentListResponse: shared.agentListResponseSchema,
  FormCatalogResponse: shared.formCatalogResponseSchema,
  StartConversationRequest: shared.startConversationRequestSchema,
  StartConversationResponse: shared.startConversationResponseSchema,
  Conversation: shared.conversationSchema,
  ConversationListResponse: shared.conversationListResponseSchema,
  TransferRequest: shared.transferRequestSchema,
  PostMessageRequest: shared.postMessageRequestSchema,
  ConversationMessage: shared.conversationMessageSchema,
  MessageListResponse: shared.messageListResponseSchema,
  CreateInvitationRequest: shared.createInvitationRequestSchema,
  InvitationView: shared.invitationViewSchema,
  OpenInvitationResponse: shared.openInvitationResponseSchema,
  ViewFormResponse: shared.viewFormResponseSchema,
  SubmitRequest: shared.submitRequestSchema,
  SubmitResponse: shared.submitResponseSchema,
  ExtendResponse: shared.extendResponseSchema,
  RetrieveResponse: shared.retrieveResponseSchema,
  RetrieveOtkResponse: shared.retrieveOtkResponseSchema,
  HistoryListResponse: shared.historyListResponseSchema,
  HistoryViewRequest: shared.historyViewRequestSchema,
  HistoryViewResponse: shared.historyViewResponseSchema,
  AgentEvent: shared.agentEventSchema,
  VisitorEvent: shared.visitorEventSchema,
  ErrorBody: shared.errorBodySchema,
};

const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/sessions',
    summary: 'Log in (password, then TOTP where required)',
    credentials: [],
    request: 'LoginRequest',
    responses: { '201': 'LoginResponse', '200': 'SecondFactorChallenge' },
  },
  {
    method: 'post',
    path: '/sessions/second-factor',
    summary: 'Complete a login with a TOTP code',
    credentials: [],
    request: 'SecondFactorRequest',
    responses: { '201': 'LoginResponse' },
  },
  {
    method: 'delete',
    path: '/sessions/current',
    summary: 'Log out (invalidates the token)',
    credentials: ['session'],
    responses: { '204': null },
  },
  {
    method: 'get',
    path: '/operators',
    summary: "The site's operators and whether each is locked (admin)",
    credentials: ['session'],
    responses: { '200': 'OperatorListResponse' },
  },
  {
    method: 'get',
    path: '/agents',
    summary: 'The agents a conversation can be transferred to',
    credentials: ['session'],
    responses: { '200': 'AgentListResponse' },
  },
  {
    method: 'post',
    path: '/operators/{id}/enable',
    summary: 'Re-enable a locked operator (admin)',
    credentials: ['session'],
    responses: { '200': 'OperatorStatus' },
  },
  { method: 'get', path: '/forms', summary: "The site's forms", credentials: ['session'], responses: { '200': 'FormCatalogResponse' } },
  {
    method: 'post',
    path: '/conversations',
    summary: 'A visitor starts a conversation',
    credentials: [],
    request: 'StartConversationRequest',
    responses: { '201': 'StartConversationResponse' },
  },
  {
    method: 'get',
    path: '/conversations',
    summary: "The site's conversations",
    credentials: ['session'],
    responses: { '200': 'ConversationListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/assign',
    summary: 'Assign the caller',
    credentials: ['session'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/join',
    summary: 'Join (watch) without being assigned',
    credentials: ['session'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/transfer',
    summary: 'Transfer to another agent',
    credentials: ['session'],
    request: 'TransferRequest',
    responses: { '200': 'Conversation' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/close',
    summary: 'Close',
    credentials: ['session', 'conversation'],
    responses: { '200': 'Conversation' },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/messages',
    summary: 'The transcript',
    credentials: ['session', 'conversation'],
    responses: { '200': 'MessageListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/messages',
    summary: 'Post a message',
    credentials: ['session', 'conversation'],
    request: 'PostMessageRequest',
    responses: { '201': 'ConversationMessage' },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/events',
    summary: "The visitor's event stream (SSE, data: VisitorEvent)",
    credentials: ['conversation'],
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/agent/events',
    summary: "The operator's event stream (SSE, data: AgentEvent)",
    credentials: ['session'],
    responses: { '200': null },
  },
  {
    method: 'get',
    path: '/conversations/{cid}/history',
    summary: 'Responses in history (view-responses-in-history)',
    credentials: ['session'],
    responses: { '200': 'HistoryListResponse' },
  },
  {
    method: 'post',
    path: '/conversations/{cid}/invitations',
    summary: 'Send a secure form',
    credentials: ['session'],
    request: 'CreateInvitationRequest',
    responses: { '201': 'InvitationView' },
  },
  {
    method: 'get',
    path: '/invitations/{iid}',
    summary: 'An invitation, for its sender',
    credentials: ['session'],
    responses: { '200': 'InvitationView' },
  },
  {
    method: 'post',
    path: '/invitations/{iid}/cancel',
    summary: 'Cancel an invitation (sender)',
    credentials: ['session'],
    responses: { '200': 'InvitationView' },
  },
  {
    method: 'post',
    path: '/invitations/{iid}/open',
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
  { method: 'post', path: '/forms/view', summary: 'Redeem a view OTK', credentials: ['otk'], responses: { '200': 'ViewFormResponse' } },
  {
    method: 'post',
    path: '/submissions',
    summary: 'Submit sealed answers',
    credentials: ['otk'],
    request: 'SubmitRequest',
    responses: { '201': 'SubmitResponse' },
  },
  {
    method: 'post',
    path: '/submissions/extend',
    summary: 'Trade the submit OTK for more time',
    credentials: ['otk'],
    responses: { '200': 'ExtendResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/retrieve',
    summary: 'Retrieve (sender, retrieve OTK)',
    credentials: ['otk', 'session'],
    responses: { '200': 'RetrieveResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/retrieve-otk',
    summary: 'A fresh retrieve OTK (sender)',
    credentials: ['session'],
    responses: { '200': 'RetrieveOtkResponse' },
  },
  {
    method: 'post',
    path: '/submissions/{sid}/history-view',
    summary: 'Re-seal a response for a manager (view-responses-in-history)',
    credentials: ['session'],
    request: 'HistoryViewRequest',
    responses: { '200': 'HistoryViewResponse' },
  },
];

const SECURITY: Record<Credential, { name: string; scheme: Record<string, string> }> = {
  session: { name: 'session', scheme: { type: 'apiKey', in: 'header', name: shared.SESSION_HEADER } },
  conversation: { name: 'conversation', scheme: { type: 'apiKey', in: 'header', name: shared.CONVERSATION_HEADER } },
  otk: { name: 'otk', scheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'OTK <one-time key>' } },
};

function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    // The shared schemas check UUIDs and times with plain patterns (packages/shared/src/formats.ts);
    // say what they are, too.
    override: ({ jsonSchema }) => {
      if (jsonSchema.pattern === shared.UUID_PATTERN.source) jsonSchema.format = 'uuid';
      if (jsonSchema.pattern === shared.ISO_TIME_PATTERN.source) jsonSchema.format = 'date-time';
    },
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

export function openApiDocument(): Record<string, unknown> {
  const requestNames = new Set(OPERATIONS.flatMap((o) => (o.request ? [o.request] : [])));
  const schemas = Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, schema]) => [name, jsonSchema(schema, requestNames.has(name) ? 'input' : 'output')]),
  );
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {};
    for (const [status, name] of Object.entries(op.responses)) {
      responses[status] = name
        ? { description: name, content: { 'application/json': { schema: ref(name) } } }
        : { description: status === '204' ? 'No content' : 'text/event-stream' };
    }
    responses.default = {
      description: 'A refusal with a stable error code',
      content: { 'application/json': { schema: ref('ErrorBody') } },
    };
    paths[`${shared.API_PREFIX}${op.path}`] ??= {};
    paths[`${shared.API_PREFIX}${op.path}`]![op.method] = {
      summary: op.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(op.credentials.length
        ? {
            security:
              op.credentials.length === 2 && !op.path.endsWith('/retrieve')
                ? op.credentials.map((c) => ({ [c]: [] }))
                : [Object.fromEntries(op.credentials.map((c) => [c, []]))],
          }
        : {}),
      ...(op.request ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.request) } } } } : {}),
      ...(op.textRequest
        ? {
            requestBody: {
              required: false,
              description: op.textRequest.description,
              content: { 'text/plain': { schema: jsonSchema(op.textRequest.schema, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Secure Forms PCI API',
      version: '1',
      description: 'Generated from the zod schemas in packages/shared/src/api.ts. Every refusal is ErrorBody with a stable code.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { schemas, securitySchemes: Object.fromEntries(Object.values(SECURITY).map((s) => [s.name, s.scheme])) },
  };
}

/** The operations the document lists (the fuzz test walks them). */
export const OPENAPI_OPERATIONS: readonly Operation[] = OPERATIONS;
