/** Reading the three credentials: operator session, visitor conversation token, one-time key. */
import {
  API_PREFIX,
  BEARER_SCHEME,
  CONVERSATION_HEADER,
  OTK_SCHEME,
  otkSchema,
  SESSION_HEADER,
  tokenSchema,
  type ErrorCode,
} from '@secure-forms/shared';
import type { Context } from 'hono';
import { requireSiteOrigin } from '../middleware/cors/index.js';
import { isPlainTextMediaType } from '../middleware/json-only/index.js';
import { Refusal } from '../domain/refusal.js';
import type { Authenticated } from '../accounts/accounts.js';
import type { Services } from '../domain/services.js';
import type { ConversationRow } from '../storage/types.js';
import { note, type AppContext } from './context.js';
import { operatorActor, visitorActor } from '../audit/actors.js';
import { INTEGRATION_PREFIX } from './server-auth.js';

/** A credential header, parsed before use: a malformed token is refused without a lookup. */
function tokenHeader(c: AppContext, name: string, message: string): string | undefined {
  const value = c.req.header(name);
  if (value === undefined) return undefined;
  if (!tokenSchema.safeParse(value).success) throw new Refusal('UNAUTHENTICATED', message);
  return value;
}

export async function requireSession(c: AppContext, s: Services, touch = true): Promise<Authenticated> {
  const auth = await s.rt.accounts.authenticate(tokenHeader(c, SESSION_HEADER, 'Sign in first.'), touch);
  note(c, { actor: operatorActor(auth.operator.id), siteId: auth.operator.siteId });
  requireSiteOrigin(c, auth.operator.siteId);
  return auth;
}

/**
 * Requests that take the conversation token alone (a route only the visitor calls, or the token
 * sent as the text/plain body), for the challenge.
 */
const visitorOnly = new WeakSet<Context>();

/**
 * The visitor's conversation, authenticated by its token: `token` when the caller read it from the
 * body (see {@link plainTextToken}), else the `Secure-Forms-Conversation` header. Refuses an origin
 * not allowed for the conversation's site before the caller acts.
 */
export async function requireVisitor(c: AppContext, s: Services, conversationId: string, token?: string): Promise<ConversationRow> {
  const conversation = await s.conversations.authorizeVisitor(
    conversationId,
    token ?? tokenHeader(c, CONVERSATION_HEADER, 'This request needs the conversation token.'),
  );
  return visitorAdmitted(c, conversation);
}

/**
 * As {@link requireVisitor}, for a conversation the route has read already (with its invitation):
 * the open routes, which only the visitor calls, so that their 401 names the conversation token
 * whatever the request sent.
 */
export function requireVisitorOf(c: AppContext, s: Services, conversation: ConversationRow, token?: string): ConversationRow {
  visitorOnly.add(c);
  return visitorAdmitted(
    c,
    s.conversations.visitorOf(conversation, token ?? tokenHeader(c, CONVERSATION_HEADER, 'This request needs the conversation token.')),
  );
}

function visitorAdmitted(c: AppContext, conversation: ConversationRow): ConversationRow {
  note(c, { actor: visitorActor(conversation.id), siteId: conversation.siteId, conversationId: conversation.id });
  requireSiteOrigin(c, conversation.siteId);
  return conversation;
}

/**
 * A conversation token sent as the whole `text/plain` body (a CORS simple request: no preflight),
 * checked like the header; undefined when the body is not text/plain or is empty. Refuses a body
 * that is not a token, and a token sent both ways (which one would count is not for us to guess).
 * Read only on routes that take text (see middleware/json-only), under their own small body limit.
 */
export async function plainTextToken(c: AppContext): Promise<string | undefined> {
  const type = c.req.header('Content-Type');
  if (type === undefined || !isPlainTextMediaType(type)) return undefined;
  visitorOnly.add(c);
  const text = await c.req.text();
  if (text === '') return undefined;
  if (c.req.header(CONVERSATION_HEADER) !== undefined) {
    throw new Refusal(
      'VALIDATION_FAILED',
      `Send the conversation token once: in the ${CONVERSATION_HEADER} header or as the text/plain body, not both.`,
      [{ path: '', reason: 'duplicate_credential' }],
    );
  }
  if (!tokenSchema.safeParse(text).success) {
    throw new Refusal('UNAUTHENTICATED', 'The request body is not a conversation token. Send the token alone, as text/plain.');
  }
  return text;
}

export function hasSession(c: AppContext): boolean {
  return c.req.header(SESSION_HEADER) !== undefined;
}

/**
 * Read `Authorization: OTK <key>`; OTK_MISSING when absent or malformed. Never echoes the header.
 * The scheme is matched case-insensitively and may be followed by several spaces (RFC 9110 11.1,
 * 11.4): `otk <key>` is the same credential.
 */
export function otkFromHeader(header: string | undefined): string {
  if (!header) throw new Refusal('OTK_MISSING', 'This request needs a one-time key in the Authorization header.');
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(\S*))?\s*$/.exec(header);
  const scheme = match?.[1] ?? '';
  const key = match?.[2] ?? '';
  if (scheme.toLowerCase() !== OTK_SCHEME.toLowerCase() || !otkSchema.safeParse(key).success) {
    throw new Refusal('OTK_MISSING', 'The Authorization header does not hold a one-time key.');
  }
  return key;
}

export function requireOtk(c: AppContext): string {
  return otkFromHeader(c.req.header('Authorization'));
}

/** The realm of every challenge: one protection space for the whole API. */
const REALM = 'realm="secure-forms"';

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 9110 11.6.1 requires one): the `OTK` scheme for
 * a missing or refused one-time key; otherwise the credential header the request should carry, the
 * conversation token when it sent one or the route takes nothing else (the open routes, the token
 * as the open request's text/plain body), else the operator session. None of these schemes is one
 * a browser answers with a password prompt.
 */
export function authenticateChallenge(code: ErrorCode, c: Context): string {
  if (code.startsWith('OTK_')) return `${OTK_SCHEME} ${REALM}`;
  // The brand chat server's routes take an API credential only (http/server-auth.ts).
  if (c.req.path.startsWith(`${API_PREFIX}${INTEGRATION_PREFIX}/`)) return `${BEARER_SCHEME} ${REALM}`;
  const visitor = visitorOnly.has(c) || (c.req.header(CONVERSATION_HEADER) !== undefined && c.req.header(SESSION_HEADER) === undefined);
  return `${visitor ? CONVERSATION_HEADER : SESSION_HEADER} ${REALM}`;
}
