/**
 * The brand chat server's credential: `Authorization: Bearer <API credential>`, from a server only.
 *
 * A request that carries an `Origin` header or a cookie is refused before the credential is even
 * read. Browsers add `Origin` to every cross-origin request (and to every POST), and the API never
 * sets cookies; so either one means the credential is in a browser, where any script of the page
 * (an injected one included) can read it and act for the whole site. The credential belongs in
 * the brand's server, which hands the browser only the visitor's conversation token.
 */
import { BEARER_SCHEME } from '@secure-forms/shared';
import { Refusal } from '../domain/refusal.js';
import type { Services } from '../domain/services.js';
import type { ApiCredentialRow } from '../storage/integration-types.js';
import { note, type AppContext } from './context.js';
import { credentialActor } from '../audit/actors.js';

/** The path prefix of the routes the brand's chat server calls (under `/v1`). */
export const INTEGRATION_PREFIX = '/integration';

/** The `Bearer` credential of `header`, or undefined when the header holds no such credential. */
function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S+)\s*$/.exec(header);
  return match && match[1]!.toLowerCase() === BEARER_SCHEME.toLowerCase() ? match[2] : undefined;
}

/** The API credential of a server-to-server request, checked (see the module comment); its site is the request's. */
export async function requireApiCredential(c: AppContext, s: Services): Promise<ApiCredentialRow> {
  if (c.req.header('Origin') !== undefined || c.req.header('Cookie') !== undefined) {
    throw new Refusal(
      'ORIGIN_NOT_ALLOWED',
      "API credentials are for the brand's servers, not for browsers. Call this API from your chat server, and hand the browser only the conversation token.",
    );
  }
  const credential = bearer(c.req.header('Authorization'));
  if (credential === undefined) {
    throw new Refusal('UNAUTHENTICATED', `This request needs an API credential: Authorization: ${BEARER_SCHEME} <credential>.`);
  }
  const row = await s.integration.credentials.authenticate(credential, (named) => {
    note(c, { credentialId: named.id, siteId: named.siteId });
  });
  note(c, { actor: credentialActor(row.id), credentialId: row.id, siteId: row.siteId });
  await s.integration.credentials.limit(row);
  return row;
}
