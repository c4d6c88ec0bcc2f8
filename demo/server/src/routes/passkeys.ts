/**
 * Passkeys: an operator's own (register, list, rename, remove), the passkey answer to a sign-in's
 * second-factor challenge, and an admin's reset of another operator's passkeys after a fresh
 * assertion of its own (step-up). Refusals are audited under each action with the operator; a
 * cloned authenticator's with its code, PASSKEY_CLONED. No audit line holds a credential or key.
 */
import {
  passkeyChallengeRequestSchema,
  passkeyRegistrationRequestSchema,
  passkeyRenameRequestSchema,
  passkeyResetRequestSchema,
  passkeySecondFactorRequestSchema,
  passwordlessOptionsRequestSchema,
  passwordlessSignInRequestSchema,
} from '@secure-forms/shared';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Hono } from 'hono';
import { PasskeyAccount } from '../accounts/passkey-account.js';
import { PasswordlessSignIn } from '../accounts/passwordless.js';
import { operatorActor } from '../audit/actors.js';
import { Refusal } from '../domain/refusal.js';
import type { Services } from '../domain/services.js';
import { requireSession } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { readBody } from '../http/validation.js';
import { requireSiteOrigin } from '../middleware/cors/index.js';

export function passkeyRoutes(api: Hono<AppEnv>, s: Services): void {
  const account = new PasskeyAccount(s.rt.store, s.rt.accounts.passkeys);
  const passwordless = new PasswordlessSignIn(
    s.rt.accounts,
    s.rt.accounts.passkeys,
    s.rt.store,
    s.rt.sites,
    s.rt.ephemeral.windows('passwordless'),
    s.rt.clock,
  );

  api.post('/sessions/passkey/options', async (c) => {
    auditAs(c, 'login.passkey');
    const body = await readBody(c, passwordlessOptionsRequestSchema);
    note(c, { siteId: body.siteId });
    requireSiteOrigin(c, body.siteId);
    return c.json({ options: await passwordless.options(body.siteId) });
  });

  api.post('/sessions/passkey', async (c) => {
    auditAs(c, 'login.passkey');
    const body = await readBody(c, passwordlessSignInRequestSchema);
    note(c, { siteId: body.siteId });
    requireSiteOrigin(c, body.siteId);
    try {
      const { response, operator } = await passwordless.signIn(body.siteId, body.response, clientAddress(c));
      note(c, { actor: operatorActor(operator.id) });
      return c.json(response, 201);
    } catch (error) {
      if (error instanceof Refusal && error.actorId) note(c, { actor: operatorActor(error.actorId) });
      throw error;
    }
  });

  api.post('/sessions/second-factor/passkey-options', async (c) => {
    auditAs(c, 'login.second-factor');
    const body = await readBody(c, passkeyChallengeRequestSchema);
    return c.json({ options: await s.rt.accounts.secondFactorPasskeyOptions(body.challenge) });
  });

  api.post('/sessions/second-factor/passkey', async (c) => {
    auditAs(c, 'login.passkey');
    const body = await readBody(c, passkeySecondFactorRequestSchema);
    try {
      const { response, operator } = await s.rt.accounts.secondFactorPasskey(body.challenge, body.response, clientAddress(c));
      note(c, { actor: operatorActor(operator.id), siteId: operator.siteId });
      return c.json(response, 201);
    } catch (error) {
      if (error instanceof Refusal && error.actorId) note(c, { actor: operatorActor(error.actorId) });
      throw error;
    }
  });

  api.get('/sessions/current/passkeys', async (c) => {
    auditAs(c, 'passkey.list');
    return c.json(await account.list(await requireSession(c, s)));
  });

  api.post('/sessions/current/passkeys/options', async (c) => {
    auditAs(c, 'passkey.register');
    return c.json({ options: await account.registrationOptions(await requireSession(c, s)) });
  });

  api.post('/sessions/current/passkeys', async (c) => {
    auditAs(c, 'passkey.register');
    const auth = await requireSession(c, s);
    const body = await readBody(c, passkeyRegistrationRequestSchema);
    return c.json(await account.register(auth, body.response as RegistrationResponseJSON, body.name), 201);
  });

  api.patch('/sessions/current/passkeys/:id', async (c) => {
    auditAs(c, 'passkey.rename');
    const auth = await requireSession(c, s);
    const body = await readBody(c, passkeyRenameRequestSchema);
    return c.json(await account.rename(auth, c.req.param('id'), body.name));
  });

  api.delete('/sessions/current/passkeys/:id', async (c) => {
    auditAs(c, 'passkey.remove');
    await account.remove(await requireSession(c, s), c.req.param('id'));
    return c.body(null, 204);
  });

  api.post('/sessions/current/step-up', async (c) => {
    auditAs(c, 'passkey.step-up');
    return c.json({ options: await account.stepUpOptions(await requireSession(c, s)) });
  });

  api.post('/operators/:id/passkeys/reset', async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'passkey.reset', { targetOperatorId: id });
    const auth = await requireSession(c, s);
    const body = await readBody(c, passkeyResetRequestSchema);
    return c.json({ removed: await account.reset(auth, id, body.response as AuthenticationResponseJSON) });
  });
}
