/**
 * Workspace tokens exchanged for sessions (`POST /v1/sessions/token-exchange`), against the running
 * server: tokens minted as a brand's workspace backend mints them, then replayed, expired, too
 * long-lived, for another audience or issuer, sent to another site, signed by another site's key, unsigned (`alg: none`),
 * HMAC-signed with the public key's bytes, for an unknown agent or claiming a higher role. Each is
 * refused with its stable code and reason; the audit holds every exchange by key id and hashed
 * jti, and no token.
 */
import { createHmac, createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { SESSION_HEADER } from '@secure-forms/shared';
import { base64url, importJWK, SignJWT, type JWTPayload } from 'jose';
import { FROM_BRAND } from './api.js';
import { FROM, OTHER_SITE, PCI, SITE } from './env.js';
import { call, codeOf, type HttpAnswer } from './http.js';
import { auditLines } from './audit-files.js';
import { test } from './table.js';
import { audienceOf, WORKSPACE_ISSUER, workspacePrivateKeys, type PrivateJwk } from './workspace-keys.js';

const from = FROM.workspaceTokens;

function exchange(token: string, siteId = SITE): Promise<HttpAnswer> {
  return call(`${PCI}/v1/sessions/token-exchange`, {
    body: {
      siteId,
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    },
    headers: FROM_BRAND,
    from,
  });
}

/** The claims of a good token for wendy (the suite's workspace agent) of the demo site, issued now, living 2 minutes. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: WORKSPACE_ISSUER,
    aud: audienceOf(SITE),
    sub: 'brand-agent-wendy',
    roles: ['agent'],
    jti: randomUUID(),
    iat: now,
    exp: now + 120,
    ...overrides,
  };
}

async function mint(key: PrivateJwk, payload: JWTPayload, kid = key.kid): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(await importJWK(key, 'ES256'));
}

const reasonOf = (answer: HttpAnswer) =>
  (answer.json as { error?: { fields?: { reason: string }[] } } | null)?.error?.fields?.[0]?.reason ?? '';

test('workspace tokens: replayed, expired, long-lived, misaddressed, forged and role-raising tokens are refused', async ({ table }) => {
  const [demoKey, rotatedKey] = workspacePrivateKeys(SITE);
  const [otherKey] = workspacePrivateKeys(OTHER_SITE);
  if (!demoKey || !rotatedKey || !otherKey) throw new Error('the suite sites file has no workspace keys');
  const tokens: string[] = [];
  const row = async (name: string, tried: string, token: string, status: number, code: string, reason: string, siteId = SITE) => {
    tokens.push(token);
    const answer = await exchange(token, siteId);
    const leaked = token.split('.').some((part) => part.length > 0 && answer.text.includes(part));
    const got = `${answer.status} ${codeOf(answer) || '-'} ${reasonOf(answer) || '-'}`;
    table.add('Sign-in', name, tried, got, answer.status === status && codeOf(answer) === code && reasonOf(answer) === reason && !leaked);
    return answer;
  };

  const good = await mint(demoKey, claims());
  const first = await row('workspace token', "a token signed with the site's key", good, 201, '', '');
  const session = (first.json as { token?: string } | null)?.token ?? '';
  const works = await call(`${PCI}/v1/forms`, { headers: { [SESSION_HEADER]: session, ...FROM_BRAND }, from });
  table.add('Sign-in', 'workspace session', 'the session the exchange gave, on /v1/forms', String(works.status), works.status === 200);
  await row('rotated key', "a token signed with the site's second key", await mint(rotatedKey, claims()), 201, '', '');
  await row('token reuse', 'the first token again', good, 401, 'WORKSPACE_TOKEN_REPLAYED', 'replayed');

  const now = Math.floor(Date.now() / 1000);
  await row(
    'expired token',
    'a token that expired 2 minutes ago',
    await mint(demoKey, claims({ iat: now - 240, exp: now - 120 })),
    401,
    'WORKSPACE_TOKEN_EXPIRED',
    'expired',
  );
  await row(
    'lifetime over 5 minutes',
    'a fresh token living 10 minutes',
    await mint(demoKey, claims({ exp: now + 600 })),
    401,
    'WORKSPACE_TOKEN_INVALID',
    'lifetime',
  );
  await row(
    'wrong audience',
    "a token for the other site's audience",
    await mint(demoKey, claims({ aud: audienceOf(OTHER_SITE) })),
    401,
    'WORKSPACE_TOKEN_WRONG_AUDIENCE',
    'wrong_audience',
  );
  await row(
    'wrong issuer',
    'a token from another issuer',
    await mint(demoKey, claims({ iss: 'https://attacker.test' })),
    401,
    'WORKSPACE_TOKEN_WRONG_AUDIENCE',
    'wrong_issuer',
  );
  await row(
    'wrong site',
    "a fresh demo token sent to the other site's exchange",
    await mint(demoKey, claims()),
    401,
    'WORKSPACE_TOKEN_UNTRUSTED',
    'unknown_key',
    OTHER_SITE,
  );
  await row(
    "another site's key",
    "a demo token signed with the other site's key (its own kid)",
    await mint(otherKey, claims()),
    401,
    'WORKSPACE_TOKEN_UNTRUSTED',
    'unknown_key',
  );
  await row(
    "another site's key, demo kid",
    "a demo token signed with the other site's key, naming the demo key's kid",
    await mint(otherKey, claims(), demoKey.kid),
    401,
    'WORKSPACE_TOKEN_UNTRUSTED',
    'signature',
  );

  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  await row(
    'alg none',
    'an unsigned token (alg none) naming the demo kid',
    `${part({ alg: 'none', kid: demoKey.kid, typ: 'JWT' })}.${part(claims())}.`,
    401,
    'WORKSPACE_TOKEN_UNTRUSTED',
    'algorithm',
  );
  const publicPem = createPublicKey(createPrivateKey({ key: demoKey, format: 'jwk' })).export({ type: 'spki', format: 'pem' });
  const input = `${part({ alg: 'HS256', kid: demoKey.kid, typ: 'JWT' })}.${part(claims())}`;
  await row(
    'HS256 with the public key',
    "HS256 keyed with the registered public key's PEM bytes",
    `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`,
    401,
    'WORKSPACE_TOKEN_UNTRUSTED',
    'algorithm',
  );
  await row(
    'unknown agent',
    'a valid token for an agent id no operator has',
    await mint(demoKey, claims({ sub: 'brand-agent-nobody' })),
    401,
    'INVALID_CREDENTIALS',
    'unknown_agent',
  );
  await row(
    'higher role',
    "wendy's token claiming admin",
    await mint(demoKey, claims({ roles: ['admin'] })),
    403,
    'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED',
    'role',
  );

  // The audit: every exchange of a token the demo key signed (8: accepted or refused) by key id and
  // hashed jti, in full; the forged ones too (4, under the sampler's 5 full lines); no token, no
  // part of one, anywhere in the files.
  const all = auditLines();
  const lines = all.filter((l) => l.includes('"login.token-exchange"'));
  const withKey = lines.filter((l) => l.includes('"jtiHash"') && l.includes(`"keyId":"${demoKey.kid}"`));
  const leaked = tokens.filter((t) => all.some((l) => t.split('.').some((p) => p.length > 0 && l.includes(p))));
  table.add(
    'Sign-in',
    'workspace token audit',
    'the audit files after the exchanges',
    `${lines.length} exchanges, ${withKey.length} by demo key and hashed jti, ${leaked.length} tokens`,
    lines.length >= tokens.length && withKey.length >= 8 && leaked.length === 0,
  );

  table.expectAllHeld();
});
