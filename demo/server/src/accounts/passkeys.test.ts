/** Passkeys: registration from a session, the passkey second factor, the operator's list, the admin's reset. */
import { SESSION_HEADER, secondFactorChallengeSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { BRAND, harness, PASSWORD } from '../test/harness.js';
import { SoftAuthenticator } from '../test/soft-authenticator.js';
import type { SiteConfig } from '../sites/schema.js';

type Harness = Awaited<ReturnType<typeof harness>>;
type Options = { challenge: string; rp: { id?: string }; rpId?: string };

/** Register a passkey on `authenticator` for the session `headers`; the answer's response. */
async function register(h: Harness, headers: Record<string, string>, authenticator: SoftAuthenticator, name = 'Laptop') {
  const res = await h.request('/v1/sessions/current/passkeys/options', { method: 'POST', headers });
  expect(res.status).toBe(200);
  const { options } = (await res.json()) as { options: Options };
  return h.request('/v1/sessions/current/passkeys', { headers, body: { response: authenticator.register(options), name } });
}

/** Password step: the second-factor challenge with its passkey options. */
async function passwordStep(h: Harness, username: string) {
  const first = await h.login(username, PASSWORD, null);
  expect(first.res.status).toBe(200);
  return secondFactorChallengeSchema.parse(first.body) as { challenge: string; methods?: string[]; passkey?: Options };
}

const answer = async (h: Harness, challenge: string, response: unknown, address?: string) =>
  h.request('/v1/sessions/second-factor/passkey', { body: { challenge, response }, ...(address ? { address } : {}) });

const passkeyOnly = (s: SiteConfig): SiteConfig => ({ ...s, secondFactor: { ...s.secondFactor, methods: ['passkey'] } });

describe('registering passkeys', () => {
  it('registers a passkey from a session, lists it with its name and times, and stores only public data', async () => {
    const h = await harness();
    const { headers } = await h.session('morgan');
    const key = new SoftAuthenticator(BRAND);
    const created = await register(h, headers, key, 'Work laptop');
    expect(created.status).toBe(201);
    const passkey = (await created.json()) as { id: string; name: string; createdAt: string; lastUsedAt: null };
    expect(passkey).toMatchObject({ name: 'Work laptop', createdAt: new Date(h.now()).toISOString(), lastUsedAt: null });
    const list = await (await h.request('/v1/sessions/current/passkeys', { headers })).json();
    expect(list).toEqual({ passkeys: [passkey], required: true });
    // A second one on another authenticator: more than one per operator.
    expect((await register(h, headers, new SoftAuthenticator(BRAND), 'Security key')).status).toBe(201);
    const rows = (await h.all('SELECT id, counter, transports, name FROM passkeys ORDER BY created_at, id')) as { id: string }[];
    expect(rows).toHaveLength(2);
    const trail = JSON.stringify(h.audit.entries);
    expect(trail).not.toContain(passkey.id);
    expect(h.audit.entries.filter((e) => e.action === 'passkey.register' && e.outcome === 'success')).toHaveLength(4);
  });

  it('refuses a registration answered for another session, replayed, expired, or from another origin', async () => {
    const h = await harness();
    const morgan = await h.session('morgan');
    const max = await h.session('max');
    const key = new SoftAuthenticator(BRAND);
    const optionsFor = async (headers: Record<string, string>) =>
      ((await (await h.request('/v1/sessions/current/passkeys/options', { method: 'POST', headers })).json()) as { options: Options })
        .options;
    const submit = (headers: Record<string, string>, response: unknown) =>
      h.request('/v1/sessions/current/passkeys', { headers, body: { response, name: 'Key' } });

    const other = key.register(await optionsFor(morgan.headers));
    expect(await (await submit(max.headers, other)).json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });

    const once = key.register(await optionsFor(morgan.headers));
    expect((await submit(morgan.headers, once)).status).toBe(201);
    expect(await (await submit(morgan.headers, once)).json()).toMatchObject({ error: { code: 'PASSKEY_CHALLENGE_USED' } });

    const late = key.register(await optionsFor(morgan.headers));
    h.advance(5 * 60_000 + 1);
    const { headers } = await h.session('morgan');
    expect(await (await submit(headers, late)).json()).toMatchObject({ error: { code: 'PASSKEY_CHALLENGE_USED' } });

    const elsewhere = new SoftAuthenticator('https://attacker.example').register(await optionsFor(headers));
    expect(await (await submit(headers, elsewhere)).json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });
    expect(await h.all('SELECT id FROM passkeys')).toHaveLength(1);
  });
});

describe('the passkey second factor', () => {
  it('offers a passkey before a TOTP code after the password, and signs in with it', async () => {
    const h = await harness();
    const key = new SoftAuthenticator(BRAND);
    expect((await register(h, (await h.session('morgan')).headers, key)).status).toBe(201);
    const step = await passwordStep(h, 'morgan');
    expect(step.methods).toEqual(['passkey', 'totp']);
    expect(step.passkey?.rpId).toBe('localhost');
    const done = await answer(h, step.challenge, key.assert(step.passkey!));
    expect(done.status).toBe(201);
    const { token } = (await done.json()) as { token: string };
    expect((await h.request('/v1/forms', { headers: { [SESSION_HEADER]: token } })).status).toBe(200);
    const list = (await (await h.request('/v1/sessions/current/passkeys', { headers: { [SESSION_HEADER]: token } })).json()) as {
      passkeys: { lastUsedAt: string }[];
    };
    expect(list.passkeys[0]!.lastUsedAt).toBe(new Date(h.now()).toISOString());
    expect(h.audit.entries.at(-2)).toMatchObject({ action: 'login.passkey', outcome: 'success' });
    // An agent without one on the demo site signs in with the password alone.
    expect((await h.login('alice', PASSWORD, null)).res.status).toBe(201);
  });

  it('refuses a replayed answer and an answer after the challenge expired, without counting them', async () => {
    const h = await harness();
    const key = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('morgan')).headers, key);
    const first = await passwordStep(h, 'morgan');
    const used = key.assert(first.passkey!);
    expect((await answer(h, first.challenge, used)).status).toBe(201);
    const second = await passwordStep(h, 'morgan');
    const replay = await answer(h, second.challenge, used);
    expect(await replay.json()).toMatchObject({ error: { code: 'PASSKEY_CHALLENGE_USED' } });
    // None of that counted: three more replays do not lock, and a right answer still signs in.
    for (let i = 0; i < 3; i++) await answer(h, second.challenge, used);
    const fresh = await (await h.request('/v1/sessions/second-factor/passkey-options', { body: { challenge: second.challenge } })).json();
    expect((await answer(h, second.challenge, key.assert((fresh as { options: Options }).options))).status).toBe(201);
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(0);
    // Past its five minutes, the sign-in's challenge and its passkey options are gone.
    const late = await passwordStep(h, 'morgan');
    h.advance(5 * 60_000 + 1);
    expect(await (await answer(h, late.challenge, key.assert(late.passkey!))).json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it("refuses an unknown, removed or another operator's passkey, and counts each towards the lock", async () => {
    const h = await harness();
    const morganKey = new SoftAuthenticator(BRAND);
    const spare = new SoftAuthenticator(BRAND);
    const morgan = await h.session('morgan');
    await register(h, morgan.headers, morganKey, 'Main');
    await register(h, morgan.headers, spare, 'Spare');
    const adaKey = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('ada')).headers, adaKey);
    const stranger = new SoftAuthenticator(BRAND);
    stranger.register({ challenge: 'x', rp: { id: 'localhost' } });

    const step = await passwordStep(h, 'morgan');
    const freshOptions = async () =>
      (
        (await (await h.request('/v1/sessions/second-factor/passkey-options', { body: { challenge: step.challenge } })).json()) as {
          options: Options;
        }
      ).options;
    const unknown = await answer(h, step.challenge, stranger.assert(step.passkey!));
    expect(await unknown.json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });
    const others = await answer(h, step.challenge, adaKey.assert(await freshOptions()));
    expect(await others.json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });
    const spareId = (
      (await (await h.request('/v1/sessions/current/passkeys', { headers: morgan.headers })).json()) as {
        passkeys: { id: string; name: string }[];
      }
    ).passkeys.find((p) => p.name === 'Spare')!.id;
    const options = await freshOptions();
    expect((await h.request(`/v1/sessions/current/passkeys/${spareId}`, { method: 'DELETE', headers: morgan.headers })).status).toBe(204);
    const removed = await answer(h, step.challenge, spare.assert(options));
    expect(removed.status).toBe(403);
    expect(await removed.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/now locked/) } });
    expect(h.audit.entries.filter((e) => e.action === 'login.passkey' && e.reason === 'PASSKEY_REFUSED')).toHaveLength(2);
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
  });

  it('refuses a cloned authenticator whose signature counter does not increase, and audits it', async () => {
    const h = await harness();
    const key = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('morgan')).headers, key);
    const before = SoftAuthenticator.clone(key.credentials[0]!, BRAND);
    const first = await passwordStep(h, 'morgan');
    expect((await answer(h, first.challenge, key.assert(first.passkey!))).status).toBe(201); // counter 1
    const second = await passwordStep(h, 'morgan');
    const cloned = await answer(h, second.challenge, before.assert(second.passkey!)); // the copy says 1 again
    expect(cloned.status).toBe(401);
    expect(await cloned.json()).toMatchObject({ error: { code: 'PASSKEY_CLONED' } });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'login.passkey', outcome: 'refused', reason: 'PASSKEY_CLONED' });
    expect(await h.get('SELECT counter FROM passkeys')).toEqual({ counter: 1 });
  });

  it('accepts an authenticator that does not count (always 0) every time', async () => {
    const h = await harness();
    const key = new SoftAuthenticator(BRAND);
    const { headers } = await h.session('morgan');
    const { options } = (await (await h.request('/v1/sessions/current/passkeys/options', { method: 'POST', headers })).json()) as {
      options: Options;
    };
    const response = key.register(options, { counting: false });
    expect((await h.request('/v1/sessions/current/passkeys', { headers, body: { response, name: 'Old key' } })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const step = await passwordStep(h, 'morgan');
      expect((await answer(h, step.challenge, key.assert(step.passkey!))).status).toBe(201);
    }
  });

  it('gives exactly one session to 50 concurrent answers to one challenge', async () => {
    const h = await harness({ site: (s) => ({ ...s, loginRateLimit: { windowSeconds: 60, perOperator: 1000, perAddress: 10_000 } }) });
    const key = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('morgan')).headers, key);
    const step = await passwordStep(h, 'morgan');
    const response = key.assert(step.passkey!);
    const results = await Promise.all(Array.from({ length: 50 }, () => answer(h, step.challenge, response)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const codes = new Set(
      await Promise.all(
        results.filter((r) => r.status !== 201).map(async (r) => ((await r.json()) as { error: { code: string } }).error.code),
      ),
    );
    expect([...codes].every((c) => c === 'PASSKEY_CHALLENGE_USED' || c === 'ACCOUNT_LOCKED' || c === 'UNAUTHENTICATED')).toBe(true);
    // None of the refused ones counted as a failure: not locked.
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(0);
    const again = await passwordStep(h, 'morgan');
    expect((await answer(h, again.challenge, key.assert(again.passkey!))).status).toBe(201);
  });

  it('does not take a TOTP code where the site allows passkeys only', async () => {
    const h = await harness({ site: passkeyOnly });
    const morgan = await h.login('morgan', PASSWORD, null);
    // Nothing the site accepts is set up: refused with a next step, not counted.
    expect(morgan.body).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/Ask an administrator/) } });
    // A right TOTP code does not make up for it.
    expect((await h.login('morgan', PASSWORD, h.totp('morgan'))).body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // With a passkey set up, a right TOTP code in the body is still not an answer this site takes.
    await h.get(
      "INSERT INTO passkeys (id, operator_id, site_id, public_key, name, created_at) SELECT 'k1', id, site_id, ?, 'Key', 0 FROM operators WHERE username = 'morgan' RETURNING id",
      Buffer.from([1]),
    );
    expect((await h.login('morgan', PASSWORD, null)).body).toMatchObject({ methods: ['passkey'] });
    expect((await h.login('morgan', PASSWORD, h.totp('morgan'))).body).toMatchObject({ error: { code: 'TOTP_WRONG' } });
  });
});

const listOf = async (h: Harness, headers: Record<string, string>) =>
  (await (await h.request('/v1/sessions/current/passkeys', { headers })).json()) as {
    passkeys: { id: string; name: string }[];
    required: boolean;
  };

describe("an operator's passkeys", () => {
  it('renames one and removes the last one of an operator the site does not ask for a second factor', async () => {
    const h = await harness();
    const alice = await h.session('alice'); // agents are password-only on the demo site
    await register(h, alice.headers, new SoftAuthenticator(BRAND));
    const { passkeys, required } = await listOf(h, alice.headers);
    expect(required).toBe(false);
    const path = `/v1/sessions/current/passkeys/${passkeys[0]!.id}`;
    expect(await (await h.request(path, { method: 'PATCH', headers: alice.headers, body: { name: ' Phone ' } })).json()).toMatchObject({
      name: 'Phone',
    });
    expect((await h.request(path, { method: 'DELETE', headers: alice.headers })).status).toBe(204);
    expect(await (await h.request(path, { method: 'DELETE', headers: alice.headers })).json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    // Another operator's passkey is not in one's own list, whatever its id.
    const morgan = await h.session('morgan');
    await register(h, morgan.headers, new SoftAuthenticator(BRAND));
    const theirs = (await listOf(h, morgan.headers)).passkeys[0]!.id;
    expect(
      await (await h.request(`/v1/sessions/current/passkeys/${theirs}`, { method: 'DELETE', headers: alice.headers })).json(),
    ).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses to remove the last passkey of an operator the site asks for one with no other method set up, even for two removals at once', async () => {
    const h = await harness();
    const morgan = await h.session('morgan');
    await register(h, morgan.headers, new SoftAuthenticator(BRAND));
    await register(h, morgan.headers, new SoftAuthenticator(BRAND));
    // With TOTP set up and allowed, the passkeys are not the only way: the rule starts when TOTP is gone.
    await h.get("UPDATE operators SET totp_secret = NULL WHERE username = 'morgan' RETURNING id");
    const ids = (await listOf(h, morgan.headers)).passkeys.map((p) => p.id);
    const removals = await Promise.all(
      ids.map(async (id) => h.request(`/v1/sessions/current/passkeys/${id}`, { method: 'DELETE', headers: morgan.headers })),
    );
    expect(removals.map((r) => r.status).sort()).toEqual([204, 409]);
    const refused = removals.find((r) => r.status === 409)!;
    expect(await refused.json()).toMatchObject({
      error: { code: 'PASSKEY_LAST_REQUIRED', message: expect.stringMatching(/add another passkey first/) },
    });
    expect((await listOf(h, morgan.headers)).passkeys).toHaveLength(1);
  });
});

describe("an admin's reset of another operator's passkeys", () => {
  it("takes a fresh assertion of the admin's own passkey, bound to its session, and is audited", async () => {
    const h = await harness();
    const morgan = await h.session('morgan');
    await register(h, morgan.headers, new SoftAuthenticator(BRAND));
    await register(h, morgan.headers, new SoftAuthenticator(BRAND));
    const ada = await h.session('ada');
    const reset = (headers: Record<string, string>, response: unknown) =>
      h.request(`/v1/operators/${morgan.operatorId}/passkeys/reset`, { headers, body: { response } });
    const stepUp = (headers: Record<string, string>) => h.request('/v1/sessions/current/step-up', { method: 'POST', headers });

    // No passkey of her own yet: nothing to step up with.
    expect(await (await stepUp(ada.headers)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const adaKey = new SoftAuthenticator(BRAND);
    await register(h, ada.headers, adaKey);
    expect(await (await reset(ada.headers, {})).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    // Options of another session of hers do not serve this one.
    const other = await h.session('ada');
    const foreign = adaKey.assert(((await (await stepUp(other.headers)).json()) as { options: Options }).options);
    expect(await (await reset(ada.headers, foreign)).json()).toMatchObject({ error: { code: 'PASSKEY_REFUSED' } });
    const options = ((await (await stepUp(ada.headers)).json()) as { options: Options }).options;
    const done = await reset(ada.headers, adaKey.assert(options));
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ removed: 2 });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'passkey.reset', outcome: 'success', targetOperatorId: morgan.operatorId });
    expect((await listOf(h, morgan.headers)).passkeys).toEqual([]);
  });

  it('is refused to anyone but an admin', async () => {
    const h = await harness();
    const max = await h.session('max');
    const key = new SoftAuthenticator(BRAND);
    await register(h, max.headers, key);
    const morgan = await h.session('morgan');
    const options = (
      (await (await h.request('/v1/sessions/current/step-up', { method: 'POST', headers: max.headers })).json()) as { options: Options }
    ).options;
    const res = await h.request(`/v1/operators/${morgan.operatorId}/passkeys/reset`, {
      headers: max.headers,
      body: { response: key.assert(options) },
    });
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });
});

describe('signing in with a passkey alone', () => {
  const passwordless = (s: SiteConfig): SiteConfig => ({ ...s, secondFactor: { ...s.secondFactor, passwordless: true } });
  const optionsOf = async (h: Harness) => {
    const res = await h.request('/v1/sessions/passkey/options', { body: { siteId: 'demo' } });
    return {
      res,
      options:
        res.status === 200
          ? ((await res.json()) as { options: Options & { allowCredentials?: unknown[]; userVerification?: string } }).options
          : null,
    };
  };
  const signIn = async (h: Harness, response: unknown) => h.request('/v1/sessions/passkey', { body: { siteId: 'demo', response } });

  it('signs in with a user-verified passkey of the site where the site allows it, once per challenge', async () => {
    const h = await harness({ site: passwordless });
    const key = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('morgan')).headers, key);
    const { options } = await optionsOf(h);
    expect(options).toMatchObject({ userVerification: 'required' });
    expect(options?.allowCredentials ?? []).toEqual([]);
    const response = key.assert(options!);
    const done = await signIn(h, response);
    expect(done.status).toBe(201);
    expect(await done.json()).toMatchObject({ operator: { username: 'morgan' } });
    expect(await (await signIn(h, response)).json()).toMatchObject({ error: { code: 'PASSKEY_CHALLENGE_USED' } });
    // Without user verification the device alone is one factor: refused.
    const again = await optionsOf(h);
    expect(await (await signIn(h, key.assert(again.options!, undefined, { userVerified: false }))).json()).toMatchObject({
      error: { code: 'PASSKEY_REFUSED' },
    });
  });

  it('is refused where the site does not allow it, and to a locked operator', async () => {
    const plain = await harness();
    expect(await (await optionsOf(plain)).res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const h = await harness({ site: passwordless });
    const key = new SoftAuthenticator(BRAND);
    await register(h, (await h.session('morgan')).headers, key);
    for (let i = 0; i < 3; i++) await h.login('morgan', 'wrong-password-1');
    const { options } = await optionsOf(h);
    expect(await (await signIn(h, key.assert(options!))).json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
  });
});
