/**
 * The OpenAPI 3.1 document of the `/v1` API, generated from the same zod schemas the server parses
 * requests with (packages/shared/src/api.ts) by zod 4's own `z.toJSONSchema`. Served at
 * `/v1/openapi.json`; `npm run openapi -w @secure-forms/demo` writes docs/openapi.json.
 */
import * as shared from '@secure-forms/shared';
import type { ErrorCode } from '@secure-forms/shared';
import * as z from 'zod';
import { statusFor } from './http/errors.js';
import { PROBES } from './openapi-probes.js';
import type { Credential, Operation } from './openapi-operation.js';
import { OPERATIONS } from './openapi-operations.js';
import { PASSKEY_SCHEMAS } from './openapi-passkeys.js';

/** Every named schema that appears in the document. */
const SCHEMAS: Record<string, z.core.$ZodType> = {
  LoginRequest: shared.loginRequestSchema,
  LoginResponse: shared.loginResponseSchema,
  SecondFactorChallenge: shared.secondFactorChallengeSchema,
  SecondFactorRequest: shared.secondFactorRequestSchema,
  TokenExchangeRequest: shared.tokenExchangeRequestSchema,
  SsoProviderResponse: shared.ssoProviderResponseSchema,
  SsoCompleteRequest: shared.ssoCompleteRequestSchema,
  SsoLogoutResponse: shared.ssoLogoutResponseSchema,
  TokenExchangeResponse: shared.tokenExchangeResponseSchema,
  ChangePasswordRequest: shared.changePasswordRequestSchema,
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
  OpenFormResponse: shared.openFormResponseSchema,
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
  SealedEnvelope: shared.sealedEnvelopeSchema,
  PublicJwk: shared.publicJwkSchema,
  CreateApiCredentialRequest: shared.createApiCredentialRequestSchema,
  ApiCredential: shared.apiCredentialSchema,
  CreatedApiCredential: shared.createdApiCredentialSchema,
  ApiCredentialListResponse: shared.apiCredentialListResponseSchema,
  RegisterConversationRequest: shared.registerConversationRequestSchema,
  RegisteredConversation: shared.registeredConversationSchema,
  IntegrationConversation: shared.integrationConversationSchema,
  ExternalAgentRequest: shared.externalAgentRequestSchema,
  IntegrationInvitationListResponse: shared.integrationInvitationListResponseSchema,
  CreateWebhookEndpointRequest: shared.createWebhookEndpointRequestSchema,
  WebhookEndpoint: shared.webhookEndpointSchema,
  WebhookEndpointWithSecret: shared.webhookEndpointWithSecretSchema,
  WebhookEndpointListResponse: shared.webhookEndpointListResponseSchema,
  RotateWebhookSecretRequest: shared.rotateWebhookSecretRequestSchema,
  WebhookDelivery: shared.webhookDeliverySchema,
  WebhookDeliveryListResponse: shared.webhookDeliveryListResponseSchema,
  WebhookEvent: shared.webhookEventSchema,
  ...PASSKEY_SCHEMAS,
  ...Object.fromEntries(PROBES.flatMap((p) => Object.values(p.responses)).map((r) => [r.name, r.schema])),
};

/** Shared schemas that appear inside others: referenced by name there, not repeated. */
const NAMED_INSIDE = new Map<z.core.$ZodType, string>([
  [shared.sealedEnvelopeSchema, 'SealedEnvelope'],
  [shared.publicJwkSchema, 'PublicJwk'],
]);

/** What a third-party client needs to know about the envelope beyond its JSON shape. */
const ENVELOPE_DESCRIPTION =
  'Answers sealed in the browser: a JWE in General JSON serialization (RFC 7516 7.2), ECDH-ES+A256KW ' +
  'key agreement to each recipient key (P-256) and A256GCM content encryption; the plaintext is the JSON ' +
  'object of answers by field id. Its protected header binds it, under the GCM tag, to where it belongs: ' +
  '`enc` and `sf`, an object with `sf.inv` (the invitation id), `sf.site` (the site id), `sf.form` ' +
  '(the form reference, `id@version`) and `sf.part` (`on-the-record` or `off-the-record`). A client ' +
  'that opens an envelope checks all four against what it expects and refuses any other.';

/** Refusals every operation can give: its origin, our failure, the database held by another process. */
const EVERY: ErrorCode[] = ['ORIGIN_NOT_ALLOWED', 'INTERNAL'];
/** Refusals of every request that writes: the body's size and type, the audit log unavailable. */
const WRITES: ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'SERVICE_BUSY'];
const BY_CREDENTIAL: Record<Credential, ErrorCode[]> = {
  session: ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ACCOUNT_LOCKED'],
  conversation: ['UNAUTHENTICATED', 'NOT_FOUND'],
  otk: ['OTK_MISSING', 'OTK_INVALID', 'OTK_EXPIRED', 'OTK_USED', 'OTK_WRONG_ACTION', 'OTK_WRONG_BINDING', 'RATE_LIMITED'],
  apiCredential: ['UNAUTHENTICATED', 'RATE_LIMITED'],
};

/** The refusals of `op`, by HTTP status (INTERNAL is also the 503 of a database held elsewhere). */
function refusalsByStatus(op: Operation): Map<string, ErrorCode[]> {
  const codes = new Set<ErrorCode>([
    ...EVERY,
    ...(op.method === 'get' ? [] : WRITES),
    ...(op.request ? (['VALIDATION_FAILED'] as const) : []),
    ...op.credentials.flatMap((c) => BY_CREDENTIAL[c]),
    ...op.refuses,
  ]);
  const byStatus = new Map<string, ErrorCode[]>();
  const add = (status: number, code: ErrorCode) => byStatus.set(String(status), [...(byStatus.get(String(status)) ?? []), code]);
  for (const code of [...codes].sort()) add(statusFor(code), code);
  add(503, 'INTERNAL');
  return new Map([...byStatus].sort(([a], [b]) => a.localeCompare(b)));
}

const SECURITY: Record<Credential, { name: string; scheme: Record<string, string> }> = {
  session: { name: 'session', scheme: { type: 'apiKey', in: 'header', name: shared.SESSION_HEADER } },
  conversation: { name: 'conversation', scheme: { type: 'apiKey', in: 'header', name: shared.CONVERSATION_HEADER } },
  otk: { name: 'otk', scheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'OTK <one-time key>' } },
  apiCredential: {
    name: 'apiCredential',
    scheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Bearer <API credential>' },
  },
};

function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    // The shared schemas check UUIDs and times with plain patterns (packages/shared/src/formats.ts);
    // say what they are, too.
    override: ({ zodSchema, jsonSchema, path }) => {
      if (jsonSchema.pattern === shared.UUID_PATTERN.source) jsonSchema.format = 'uuid';
      if (jsonSchema.pattern === shared.ISO_TIME_PATTERN.source) jsonSchema.format = 'date-time';
      const named = NAMED_INSIDE.get(zodSchema);
      if (named && path.length > 0) {
        for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
        jsonSchema.$ref = `#/components/schemas/${named}`;
      }
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
  schemas.SealedEnvelope!.description = ENVELOPE_DESCRIPTION;
  schemas.PublicJwk!.description = 'A P-256 public key as a JWK (RFC 7517), never with a private part (`d`).';
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params: Record<string, unknown>[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.query) {
      const { properties = {}, required = [] } = jsonSchema(op.query.schema, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(properties)) {
        params.push({ name, in: 'query', required: required.includes(name), description: op.query.describe[name], schema });
      }
    }
    if (op.events) {
      params.push({
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description: 'On a reconnect, the `id` of the last event received: the events missed since are sent first.',
        schema: { type: 'string', maxLength: 64 },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, name] of Object.entries(op.responses)) {
      responses[status] = name
        ? { description: name, content: { 'application/json': { schema: ref(name) } } }
        : op.events
          ? {
              description: `An event stream: each \`data:\` field is one JSON ${op.events}`,
              content: {
                'text/event-stream': {
                  schema: {
                    type: 'string',
                    description: `Server-sent events with no \`event:\` field; each \`data:\` field holds one ${op.events} as JSON with its \`id:\`, and comment lines keep the connection open.`,
                    contentMediaType: 'application/json',
                    contentSchema: ref(op.events),
                  },
                },
              },
            }
          : { description: 'No content' };
    }
    for (const [status, codes] of refusalsByStatus(op)) {
      responses[status] = {
        description: `Refused: ${codes.join(', ')}`,
        ...(status === '401' ? { headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } } } : {}),
        ...(status === '429' || status === '503' ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
        content: {
          'application/json': {
            schema: { allOf: [ref('ErrorBody'), { properties: { error: { properties: { code: { enum: codes } } } } }] },
          },
        },
      };
    }
    paths[`${shared.API_PREFIX}${op.path}`] ??= {};
    paths[`${shared.API_PREFIX}${op.path}`]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(params.length ? { parameters: params } : {}),
      // No credential at all is said outright (`security: []`), so no reader takes it for a default.
      security: op.credentials.length
        ? op.credentials.length === 2 && !op.path.endsWith('/retrieve')
          ? op.credentials.map((c) => ({ [c]: [] }))
          : [Object.fromEntries(op.credentials.map((c) => [c, []]))]
        : [],
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
  for (const probe of PROBES) {
    paths[probe.path] = {
      get: {
        operationId: probe.operationId,
        summary: probe.summary,
        description: probe.description,
        security: [],
        responses: Object.fromEntries(
          Object.entries(probe.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(status === '503' ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
              content: { 'application/json': { schema: ref(r.name) } },
            },
          ]),
        ),
      },
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
    servers: [
      {
        url: 'http://127.0.0.1:8443',
        description: 'The demo PCI origin (`PCI_PORT`). A deployment serves the API from its own PCI origin, over HTTPS.',
      },
    ],
    paths,
    // What the backend sends to the brand chat server's registered endpoints (docs/integration.md).
    webhooks: {
      invitationEvent: {
        post: {
          operationId: 'receiveInvitationEvent',
          summary: "An invitation entered a state: sent to each of the site's enabled endpoints that takes the event type",
          description: `Signed in \`${shared.WEBHOOK_SIGNATURE_HEADER}\` (\`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">\`, one v1 per valid secret); the event id (the idempotency key, the same on every retry) in \`${shared.WEBHOOK_ID_HEADER}\`, its type in \`${shared.WEBHOOK_EVENT_HEADER}\`, the timestamp in \`${shared.WEBHOOK_TIMESTAMP_HEADER}\`. A 2xx answer delivers it; anything else (a redirect included) is retried with backoff, 8 attempts over about a day, then dead-lettered.`,
          security: [],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' } } } },
          responses: { '2XX': { description: 'Received: not sent again' } },
        },
      },
    },
    components: {
      schemas,
      headers: {
        RetryAfter: {
          description: 'Seconds to wait before trying again (RFC 9110 10.2.3).',
          schema: { type: 'integer', minimum: 1 },
        },
        WwwAuthenticate: {
          description: `The credential to send: \`${shared.OTK_SCHEME} realm="secure-forms"\`, \`${shared.SESSION_HEADER} realm="secure-forms"\`, \`${shared.CONVERSATION_HEADER} realm="secure-forms"\` or (the brand chat server's routes) \`${shared.BEARER_SCHEME} realm="secure-forms"\`.`,
          schema: { type: 'string' },
        },
      },
      securitySchemes: Object.fromEntries(Object.values(SECURITY).map((s) => [s.name, s.scheme])),
    },
  };
}

/** The operations the document lists (the fuzz test walks them). */
export const OPENAPI_OPERATIONS: readonly Operation[] = OPERATIONS;
