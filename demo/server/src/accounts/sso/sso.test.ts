/**
 * Single sign-on with OpenID Connect against a real OpenID Provider (oidc-provider) on a private
 * port: the code flow with PKCE, state and nonce; just-in-time provisioning; deprovisioning; each
 * refusal with its code and reason; one session however many times a callback arrives.
 */
import { describe, expect, it } from 'vitest';
import { PCI } from '../../test/harness.js';
import { CLIENT_ID, CLIENT_SECRET, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_REDIRECT } from '../../test/oidc-provider.js';
import { redirectUri } from './oidc-client.js';
import { refusalOf, RETURN_TO, ssoHarness } from '../../test/sso-harness.js';

// Each test walks a real provider's pages over HTTP: a few round trips more than a password sign-in.
describe('single sign-on', { timeout: 30_000 }, () => {
  it('signs a new operator in with the role and profile its groups map to, provisioned at the first sign-in, under the site session policy', async () => {
    const t = await ssoHarness();
    t.op.account('u-1001', { name: 'Sam Agent', groups: ['sf-agents'] });
    const { res, body } = await t.signIn('u-1001');
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.operator).toMatchObject({ displayName: 'Sam Agent', role: 'agent', permissions: ['use-secure-form'] });
    expect(body.idleTimeoutSeconds).toBe(600);
    expect((await t.h.request('/v1/forms', { headers: t.session(body.token!) })).status).toBe(200);
    // The site's idle timeout ends it as it ends a password sign-in's session.
    t.h.advance(600_000);
    const idle = await t.h.request('/v1/forms', { headers: t.session(body.token!) });
    expect(((await idle.json()) as { error: { code: string } }).error.code).toBe('SESSION_EXPIRED');
    // The same identity signs in again as the same operator.
    t.h.advance(-600_000);
    const again = await t.signIn('u-1001');
    expect(again.res.status).toBe(201);
    expect((again.body.operator as { id: string }).id).toBe((body.operator as { id: string }).id);
    const line = t.h.audit.entries.find((e) => e.action === 'login.sso-callback' && e.outcome === 'success');
    expect(line?.actor).toBe(`operator:${(body.operator as { id: string }).id}`);
    // Nothing secret in any audit line or log line.
    const written = JSON.stringify(t.h.audit.entries) + t.h.logLines.join('\n');
    expect(written).not.toContain(body.token!);
    expect(written).not.toMatch(/code=|state=|id_token|eyJ/);
  });

  it('updates the role and profile from the claims at each sign-in, never above what the mapping gives', async () => {
    const t = await ssoHarness();
    t.op.account('u-1002', { name: 'Obi', groups: ['sf-observers', 'admins', 'secure-forms-admin'] });
    const first = await t.signIn('u-1002');
    expect(first.res.status).toBe(201);
    expect(first.body.operator).toMatchObject({ role: 'agent', permissions: [] });
    t.op.account('u-1002', { name: 'Obi Wan', groups: ['sf-agents'] });
    const second = await t.signIn('u-1002');
    expect(second.body.operator).toMatchObject({ displayName: 'Obi Wan', role: 'agent', permissions: ['use-secure-form'] });
  });

  it('refuses and disables an operator whose groups no longer map, and ends its sessions', async () => {
    const t = await ssoHarness();
    t.op.account('u-1003', { name: 'Dee', groups: ['sf-agents'] });
    const signedIn = await t.signIn('u-1003');
    expect(signedIn.res.status).toBe(201);
    const token = signedIn.body.token!;
    t.op.account('u-1003', { name: 'Dee', groups: ['marketing'] });
    const refused = await t.signIn('u-1003');
    expect(refused.res.status).toBe(403);
    expect(refusalOf(refused.body)).toEqual({ code: 'FORBIDDEN', reason: 'not_mapped' });
    expect(refused.body.error?.fields).toBeDefined();
    expect(refused.body.error?.message).toMatch(/ask your identity provider's administrator/);
    // The session it had is over.
    const ended = await t.h.request('/v1/forms', { headers: t.session(token) });
    expect(ended.status).toBe(401);
    const operatorId = (signedIn.body.operator as { id: string }).id;
    expect(t.h.audit.entries.some((e) => e.action === 'operator.sso-disable' && e.targetOperatorId === operatorId)).toBe(true);
    expect(
      t.h.audit.entries.some((e) => e.action === 'login.sso-callback' && e.outcome === 'refused' && e.sso?.reason === 'not_mapped'),
    ).toBe(true);
    // A new identity whose groups map to nothing is never provisioned.
    t.op.account('u-1004', { name: 'Nobody', groups: [] });
    expect(refusalOf((await t.signIn('u-1004')).body)).toEqual({ code: 'FORBIDDEN', reason: 'not_mapped' });
    // Given the group back at the provider, the operator signs in again.
    t.op.account('u-1003', { name: 'Dee', groups: ['sf-agents'] });
    const back = await t.signIn('u-1003');
    expect(back.res.status).toBe(201);
    expect((back.body.operator as { id: string }).id).toBe(operatorId);
  });

  it('refuses an ID token the provider issued to another client (wrong audience)', async () => {
    const t = await ssoHarness();
    t.op.account('mallory', { name: 'Mallory', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const nonce = new URL(url).searchParams.get('nonce')!;
    const foreign = await t.mintIdToken(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_REDIRECT, nonce);
    const back = await t.op.signIn(url, 'mallory');
    t.tamper.tokenResponse = (body) => ({ ...body, id_token: foreign });
    const cb = await t.callback(back, cookie);
    expect(cb.status).toBe(303);
    const { res, body } = await t.complete(cb.headers.get('location')!);
    expect(res.status).toBe(401);
    expect(refusalOf(body)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'token' });
    const line = t.h.audit.entries.find((e) => e.action === 'login.sso-callback');
    expect(line).toMatchObject({
      outcome: 'refused',
      reason: 'INVALID_CREDENTIALS',
      sso: { reason: 'token', detail: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' },
    });
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const t = await ssoHarness();
    t.op.account('mallory', { name: 'Mallory', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const other = await t.mintIdToken(CLIENT_ID, CLIENT_SECRET, redirectUri(PCI, 'demo'), 'another-sign-ins-nonce');
    const back = await t.op.signIn(url, 'mallory');
    t.tamper.tokenResponse = (body) => ({ ...body, id_token: other });
    const cb = await t.callback(back, cookie);
    const { res, body } = await t.complete(cb.headers.get('location')!);
    expect(res.status).toBe(401);
    expect(refusalOf(body)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'token' });
    expect(t.h.audit.entries.find((e) => e.action === 'login.sso-callback')?.sso).toEqual({
      reason: 'token',
      detail: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
    });
  });

  it('refuses an expired ID token, on the app clock', async () => {
    const t = await ssoHarness({ idTokenTtl: 60 });
    t.op.account('u-1005', { name: 'Late', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const back = await t.op.signIn(url, 'u-1005');
    // Within the ten minutes a pending sign-in lives, past the token's minute (and the 30 s tolerance).
    t.h.advance(5 * 60_000);
    const cb = await t.callback(back, cookie);
    const { res, body } = await t.complete(cb.headers.get('location')!);
    expect(res.status).toBe(401);
    expect(refusalOf(body)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'token' });
    expect(t.h.audit.entries.find((e) => e.action === 'login.sso-callback')?.sso).toEqual({
      reason: 'token',
      detail: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
    });
  });

  it('takes a callback once: a replayed callback is refused, and a replayed code under a new state is refused by the provider', async () => {
    const t = await ssoHarness();
    t.op.account('u-1006', { name: 'Rae', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const back = await t.op.signIn(url, 'u-1006');
    expect((await t.callback(back, cookie)).status).toBe(303);
    const replay = await t.callback(back, cookie);
    expect(replay.status).toBe(401);
    expect(refusalOf((await replay.json()) as never)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'state' });
    // The used code with a fresh sign-in's state and cookie: the provider refuses it (PKCE and single use).
    const fresh = await t.start();
    const replayedCode = new URL(back);
    replayedCode.searchParams.set('state', new URL(fresh.url).searchParams.get('state')!);
    const cb = await t.callback(replayedCode, fresh.cookie);
    const { body } = await t.complete(cb.headers.get('location')!);
    expect(refusalOf(body)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'provider_error' });
    // A hand-off is single use too.
    const ok = await t.signIn('u-1006');
    expect(ok.res.status).toBe(201);
  });

  it('answers the same callback arriving 20 times at once with one hand-off and one session', async () => {
    const t = await ssoHarness();
    t.op.account('u-1007', { name: 'Twenty', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const back = await t.op.signIn(url, 'u-1007');
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.callback(back, cookie)));
    const redirected = answers.filter((r) => r.status === 303);
    expect(redirected).toHaveLength(1);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(19);
    const location = redirected[0]!.headers.get('location')!;
    const completions = await Promise.all(Array.from({ length: 20 }, () => t.complete(location)));
    expect(completions.filter((c) => c.res.status === 201)).toHaveLength(1);
    expect(completions.filter((c) => refusalOf(c.body).reason === 'handoff')).toHaveLength(19);
  });

  it('refuses a callback in a browser that did not start the sign-in (no binding cookie)', async () => {
    const t = await ssoHarness();
    t.op.account('u-1008', { name: 'Csrf', groups: ['sf-agents'] });
    const { url } = await t.start();
    const back = await t.op.signIn(url, 'u-1008');
    const res = await t.callback(back, 'secure-forms-sso=someone-elses');
    expect(res.status).toBe(401);
    expect(refusalOf((await res.json()) as never)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'state' });
  });

  it('refuses an unknown site, a foreign return address, an answer from another issuer and a state never issued', async () => {
    const t = await ssoHarness();
    const unknown = await t.h.request(`/v1/sso/nosuch/start?returnTo=${encodeURIComponent(RETURN_TO)}`);
    expect(unknown.status).toBe(404);
    expect(refusalOf((await unknown.json()) as never)).toEqual({ code: 'NOT_FOUND', reason: 'not_configured' });
    const info = await t.h.request('/v1/sso/demo');
    expect(await info.json()).toEqual({ providerName: 'Test IdP' });
    const foreign = await t.h.request(`/v1/sso/demo/start?returnTo=${encodeURIComponent('https://evil.example/agent')}`);
    expect(foreign.status).toBe(401);
    expect(refusalOf((await foreign.json()) as never)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'return_to' });
    // The provider's answer names another issuer (RFC 9207 `iss`): a mix-up, refused.
    t.op.account('u-1009', { name: 'Mix', groups: ['sf-agents'] });
    const { url, cookie } = await t.start();
    const back = await t.op.signIn(url, 'u-1009');
    back.searchParams.set('iss', 'https://idp.evil.example');
    const cb = await t.callback(back, cookie);
    expect(refusalOf((await t.complete(cb.headers.get('location')!)).body)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'token' });
    // A callback whose state was never issued.
    const made = await t.h.request('/v1/sso/demo/callback?code=x&state=never-issued', { headers: { cookie } });
    expect(refusalOf((await made.json()) as never)).toEqual({ code: 'INVALID_CREDENTIALS', reason: 'state' });
  });

  it('signs out: the session ends and the answer says where to sign out at the provider', async () => {
    const t = await ssoHarness();
    t.op.account('u-1010', { name: 'Bye', groups: ['sf-agents'] });
    const { body } = await t.signIn('u-1010');
    const res = await t.h.request(`/v1/sso/demo/logout?returnTo=${encodeURIComponent(RETURN_TO)}`, {
      method: 'POST',
      headers: t.session(body.token!),
    });
    expect(res.status).toBe(200);
    const { endSessionUrl } = (await res.json()) as { endSessionUrl: string };
    expect(endSessionUrl.startsWith(`${t.op.issuer}/session/end`)).toBe(true);
    expect(new URL(endSessionUrl).searchParams.get('post_logout_redirect_uri')).toBe(RETURN_TO);
    expect((await t.h.request('/v1/forms', { headers: t.session(body.token!) })).status).toBe(401);
  });
});
