/**
 * Key custody: a copy of the data directory, with the server's environment minus the token PIN,
 * decrypts nothing when the keys are in an HSM (the PKCS#11 custody, on a SoftHSM2 token made for
 * this test). A server of its own on ports 18413/18414 and its own data directory does round
 * trips with canaries and a manager's history view; then the copy is attacked offline with every
 * key it holds: the vault layer of each stored record, each TOTP seed, each history copy. The
 * same attack on a local-keys copy is the control row (it must open everything, or the attack
 * proves nothing). With the token, the history view still works after a restart. And the server
 * refuses to start with key files in its data directory unless the demo switch is set.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { importJWK } from 'jose';
import { generateInvitationKeyPair, KEY_ALGORITHM, openAnswers, sealedEnvelopeSchema, type ViewFormResponse } from '@secure-forms/shared';
import { DataKeyRing } from '../demo/server/src/crypto/custody/data-keys.js';
import { LocalCustody } from '../demo/server/src/crypto/custody/local.js';
import { Vault } from '../demo/server/src/crypto/vault.js';
import { openStore } from '../demo/server/src/storage/open.js';
import { createSoftHsmToken, SOFTHSM_MODULE, softHsmMissing } from '../demo/server/src/test/softhsm.js';
import { totpAt } from '../fixtures/totp.js';
import { bindingOf, sealCard } from './api.js';
import { CANARY, findCanaries, printable } from './canaries.js';
import { FROM, PASSWORD, REPO_ROOT } from './env.js';
import { call, resetConnections } from './http.js';
import { START_SCRIPT } from './server.js';
import { test } from './table.js';

const BRAND_PORT = 18413;
const PCI_PORT = 18414;
const PCI = `http://127.0.0.1:${PCI_PORT}`;
const FROM_BRAND = { Origin: `http://localhost:${BRAND_PORT}` };
const FROM_FRAME = { Origin: PCI };
const from = FROM.custody;
const ROUND_TRIPS = 3;

const missing = softHsmMissing();

type Env = Record<string, string>;

function baseEnv(dataDir: string): Env {
  return {
    PORT: String(BRAND_PORT),
    PCI_PORT: String(PCI_PORT),
    SECURE_FORMS_DATA_DIR: dataDir,
    SECURE_FORMS_DEMO_PASSWORD: PASSWORD,
    // No SECURE_FORMS_DEMO_TOTP_SECRET: the seeds are generated, so the environment holds none.
    LOG_LEVEL: 'info',
  };
}

function processEnv(env: Env): NodeJS.ProcessEnv {
  // The suite's own SECURE_FORMS_* settings must not leak into this server.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SECURE_FORMS_')));
  return { ...inherited, ...env };
}

/** Start the demo with `env`; resolves with a stop function once the PCI origin answers. */
async function startDemo(env: Env): Promise<() => Promise<void>> {
  const child = spawn('sh', [START_SCRIPT], {
    cwd: REPO_ROOT,
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The key custody server stopped: ${output.slice(-2000)}`);
    try {
      if ((await call(`${PCI}/v1/openapi.json`, { timeoutMs: 1000 })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The key custody server did not start: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return async () => {
    child.kill('SIGTERM');
    await exited;
    resetConnections();
  };
}

function ok<T>(step: string, answer: { status: number; json: unknown; text: string }, status = 200): T {
  if (answer.status !== status) throw new Error(`${step}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  return answer.json as T;
}

async function login(username: string, totpSecret?: string) {
  const body: Record<string, string> = { siteId: 'demo', username, password: PASSWORD };
  if (totpSecret) body.totp = totpAt(totpSecret, Date.now());
  const json = ok<{ token: string }>(`login ${username}`, await call(`${PCI}/v1/sessions`, { body, headers: FROM_BRAND, from }), 201);
  return { 'Secure-Forms-Session': json.token, ...FROM_BRAND };
}

/** One round trip with canaries, as the frame seals it; returns the submission id. */
async function roundTrip(agent: Record<string, string>, n: number): Promise<string> {
  const conversation = ok<{ conversationId: string; conversationToken: string }>(
    'start conversation',
    await call(`${PCI}/v1/conversations`, { body: { siteId: 'demo', visitorName: `Custody ${n}` }, headers: FROM_BRAND, from }),
    201,
  );
  const visitor = { 'Secure-Forms-Conversation': conversation.conversationToken, ...FROM_BRAND };
  ok('assign', await call(`${PCI}/v1/conversations/${conversation.conversationId}/assign`, { method: 'POST', headers: agent, from }));
  const keys = await generateInvitationKeyPair();
  const invitation = ok<{ id: string }>(
    'send invitation',
    await call(`${PCI}/v1/conversations/${conversation.conversationId}/invitations`, {
      headers: agent,
      body: { formId: 'card-payment', publicKey: keys.publicJwk },
      from,
    }),
    201,
  );
  const { viewOtk } = ok<{ viewOtk: string }>(
    'open',
    await call(`${PCI}/v1/invitations/${invitation.id}/open`, { method: 'POST', headers: visitor, from }),
  );
  const view = ok<ViewFormResponse>(
    'view',
    await call(`${PCI}/v1/forms/view`, { method: 'POST', headers: { Authorization: `OTK ${viewOtk}`, ...FROM_FRAME }, from }),
  );
  const body = await sealCard(view, { cardNumber: CANARY.card.typed, billingPostcode: 'SW1A 1AA', cvv: CANARY.cid });
  const submitted = ok<{ submissionId: string }>(
    'submit',
    await call(`${PCI}/v1/submissions`, { headers: { Authorization: `OTK ${view.submitOtk}`, ...FROM_FRAME }, body, from }),
    201,
  );
  bindings.set(submitted.submissionId, bindingOf(view, 'on-the-record'));
  return submitted.submissionId;
}
const bindings = new Map<string, ReturnType<typeof bindingOf>>();

/** The manager's history view of a submission; the card number it shows, or the refusal. */
async function historyView(manager: Record<string, string>, submissionId: string): Promise<string> {
  const oneView = await generateInvitationKeyPair();
  const answer = await call(`${PCI}/v1/submissions/${submissionId}/history-view`, {
    headers: manager,
    body: { publicKey: oneView.publicJwk },
    from,
  });
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  const { onTheRecord } = answer.json as { onTheRecord: unknown };
  const answers = await openAnswers(sealedEnvelopeSchema.parse(onTheRecord), oneView.privateKey, bindings.get(submissionId)!);
  return answers.cardNumber ?? 'no card number';
}

interface Opened {
  records: [number, number];
  seeds: [number, number];
  history: [number, number];
  keys: string[];
}

/**
 * The offline attack: everything a copy of the data directory and the environment (minus the
 * PIN) holds, tried on every stored record, TOTP seed and history copy.
 */
async function decryptOffline(copy: string, env: Env): Promise<Opened> {
  const masters: Buffer[] = [];
  const keys: string[] = [];
  if (env.SECURE_FORMS_MASTER_KEY) {
    masters.push(Buffer.from(env.SECURE_FORMS_MASTER_KEY, 'base64'));
    keys.push('SECURE_FORMS_MASTER_KEY');
  }
  if (existsSync(join(copy, 'master.key'))) {
    masters.push(Buffer.from(readFileSync(join(copy, 'master.key'), 'utf8').trim(), 'base64'));
    keys.push('master.key');
  }
  const historyJwks = readdirSync(copy).filter((f) => /^history-key-.*\.jwk$/.test(f));
  keys.push(...historyJwks);
  const historyKeys = await Promise.all(
    historyJwks.map(async (f) => {
      const jwk = JSON.parse(readFileSync(join(copy, f), 'utf8')) as Record<string, string>;
      createPrivateKey({ key: jwk, format: 'jwk' }); // a usable private key, or this throws
      return (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, KEY_ALGORITHM)) as CryptoKey;
    }),
  );
  const db = new Database(join(copy, 'secure-forms.sqlite'));
  try {
    const rows = db.prepare('SELECT id, site_id, key_id, iv, ciphertext, tag FROM submissions WHERE ciphertext IS NOT NULL').all() as {
      id: string;
      site_id: string;
      key_id: string;
      iv: Buffer;
      ciphertext: Buffer;
      tag: Buffer;
    }[];
    const seeds = db.prepare('SELECT id, totp_secret FROM operators WHERE totp_secret IS NOT NULL').all() as {
      id: string;
      totp_secret: string;
    }[];
    // The stored (wrapped) data keys, read through the store as the server reads them.
    const store = await openStore({ sqlite: db });
    const vaults = await Promise.all(
      masters.map(async (m) => new Vault(await DataKeyRing.open(new LocalCustody(m, undefined), store, Date.now))),
    );
    // The data keys are read: close the store (and its checkpointer) before the copy is removed.
    await store.close();
    const attempt = <T>(f: (v: Vault) => T): T | undefined => {
      for (const v of vaults) {
        try {
          return f(v);
        } catch {
          // this key does not open it
        }
      }
      return undefined;
    };
    let records = 0;
    let history = 0;
    for (const row of rows) {
      const json = attempt((v) =>
        v.unwrap({ keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, tag: row.tag }, row.id, row.site_id),
      );
      if (json === undefined) continue;
      records += 1;
      const envelope = sealedEnvelopeSchema.parse(JSON.parse(json));
      for (const key of historyKeys) {
        const binding = bindings.get(row.id);
        if (
          binding &&
          (await openAnswers(envelope, key, binding).then(
            () => true,
            () => false,
          ))
        ) {
          history += 1;
          break;
        }
      }
    }
    const seedsOpened = seeds.filter((s) => attempt((v) => v.unwrapSecret(s.totp_secret, s.id)) !== undefined).length;
    return { records: [records, rows.length], seeds: [seedsOpened, seeds.length], history: [history, rows.length], keys };
  } finally {
    if (db.open) db.close();
  }
}

const ratio = ([n, of]: [number, number]) => `${n} of ${of}`;

/** Canary hits in every file of the copy (clear, base64, URL-encoded). */
function canariesIn(copy: string): number {
  let hits = 0;
  for (const f of readdirSync(copy, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    hits += findCanaries(printable(readFileSync(join(f.parentPath, f.name)))).length;
  }
  return hits;
}

/** Run the demo with `env`, do the round trips and history views, stop it, copy its data directory. */
async function runAndCopy(env: Env, dataDir: string, work: string) {
  const stop = await startDemo(env);
  const submissions: string[] = [];
  let manager: Record<string, string>;
  let viewed: string[];
  try {
    // The operator's first-start procedure: take morgan's enrolment link from the enrolment file,
    // then delete the file, as the banner says (it holds the TOTP secrets in clear).
    const enrolment = join(dataDir, 'totp-enrolment.txt');
    const links = readFileSync(enrolment, 'utf8');
    rmSync(enrolment);
    const secret = /^morgan \(manager\): otpauth:\/\/\S*[?&]secret=([A-Z2-7]+)/m.exec(links)?.[1];
    if (!secret) throw new Error('No enrolment link for morgan at first start.');
    const alice = await login('alice');
    for (let i = 0; i < ROUND_TRIPS; i++) submissions.push(await roundTrip(alice, i));
    manager = await login('morgan', secret);
    viewed = await Promise.all(submissions.map((id) => historyView(manager, id)));
  } finally {
    await stop();
  }
  const copy = join(work, 'stolen');
  cpSync(dataDir, copy, { recursive: true });
  return { submissions, manager, viewed, copy };
}

test('Key custody: a copy of the data directory opens nothing when the keys are in the HSM', async ({ table }) => {
  test.setTimeout(240_000);
  if (missing)
    console.warn(`\n*** SKIPPED: Key custody needs SoftHSM2 (${missing}). Run: node --import tsx scripts/ensure-softhsm.ts ***\n`);
  test.skip(Boolean(missing), `SoftHSM2 is missing: ${missing}`);
  const work = mkdtempSync(join(tmpdir(), 'sf-sec-custody-'));
  const token = createSoftHsmToken('sf-security-custody');
  try {
    // 1. The demo switch: local key files in the data directory are refused without it.
    const refusedDir = join(work, 'refused');
    const refused = spawnSync('sh', [START_SCRIPT], {
      cwd: REPO_ROOT,
      env: processEnv(baseEnv(refusedDir)),
      encoding: 'utf8',
      timeout: 60_000,
    });
    table.add(
      'Key custody',
      'local key files in the data directory, no switch',
      'start the server on local keys without SECURE_FORMS_ALLOW_LOCAL_KEYS=1',
      `exit ${refused.status}; ${/Refusing to start/.test(refused.stderr) ? '"Refusing to start…"' : refused.stderr.slice(0, 120)}; master.key ${existsSync(join(refusedDir, 'master.key')) ? 'written' : 'not written'}`,
      refused.status === 1 && /Refusing to start/.test(refused.stderr) && !existsSync(join(refusedDir, 'master.key')),
    );

    // 2. Under the PKCS#11 custody: round trips, history views, then the copy.
    const hsmDir = join(work, 'pkcs11', 'data');
    const hsmEnv: Env = {
      ...baseEnv(hsmDir),
      ...token.env,
      SECURE_FORMS_KEY_CUSTODY: 'pkcs11',
      SECURE_FORMS_PKCS11_MODULE: SOFTHSM_MODULE,
      SECURE_FORMS_PKCS11_TOKEN_LABEL: token.label,
      SECURE_FORMS_PKCS11_PIN: token.pin,
    };
    const hsm = await runAndCopy(hsmEnv, hsmDir, join(work, 'pkcs11'));
    const card = CANARY.card.typed;
    table.add(
      'Key custody',
      'round trips under the PKCS#11 custody',
      `${ROUND_TRIPS} card forms with canaries; morgan's history view of each`,
      `history view: ${hsm.viewed.filter((v) => v === card).length} of ${ROUND_TRIPS} show the card number`,
      hsm.viewed.every((v) => v === card),
    );
    const { SECURE_FORMS_PKCS11_PIN: _pin, ...envWithoutPin } = hsmEnv;
    const stolen = await decryptOffline(hsm.copy, envWithoutPin);
    const files = readdirSync(hsm.copy).sort();
    table.add(
      'Key custody',
      'a copy of the data directory (PKCS#11)',
      'copy the data directory and the environment minus the PIN; open every record, TOTP seed and history copy offline',
      `keys found: ${stolen.keys.length === 0 ? 'none' : stolen.keys.join(', ')} (files: ${files.join(', ')}); records ${ratio(stolen.records)}, TOTP seeds ${ratio(stolen.seeds)}, history copies ${ratio(stolen.history)}`,
      stolen.keys.length === 0 &&
        stolen.records[0] === 0 &&
        stolen.seeds[0] === 0 &&
        stolen.history[0] === 0 &&
        stolen.records[1] === ROUND_TRIPS &&
        stolen.seeds[1] > 0,
    );
    const hits = canariesIn(hsm.copy);
    table.add(
      'Key custody',
      'canaries in the copy',
      'scan every file of the copy for the canaries (clear, base64, URL-encoded)',
      `${hits} hit(s)`,
      hits === 0,
    );

    // 3. With the token, after a restart: the history view still works (morgan's session survives).
    const stop = await startDemo(hsmEnv);
    let again: string;
    try {
      again = await historyView(hsm.manager, hsm.submissions[0]!);
    } finally {
      await stop();
    }
    table.add(
      'Key custody',
      'the history view with the token, after a restart',
      "restart the PKCS#11 server; morgan's history view of the first response",
      again === card ? 'shows the card number' : again,
      again === card,
    );

    // 4. The control: the same attack on a local-keys copy opens everything.
    const localDir = join(work, 'local', 'data');
    const local = await runAndCopy({ ...baseEnv(localDir), SECURE_FORMS_ALLOW_LOCAL_KEYS: '1' }, localDir, join(work, 'local'));
    const control = await decryptOffline(local.copy, baseEnv(localDir));
    table.add(
      'Key custody',
      'control: a copy of a local-keys data directory',
      'the same offline attempt on the demo running with SECURE_FORMS_ALLOW_LOCAL_KEYS=1',
      `keys found: ${control.keys.join(', ')}; records ${ratio(control.records)}, TOTP seeds ${ratio(control.seeds)}, history copies ${ratio(control.history)}`,
      control.records[0] === ROUND_TRIPS &&
        control.seeds[0] === control.seeds[1] &&
        control.seeds[1] > 0 &&
        control.history[0] === ROUND_TRIPS,
    );
  } finally {
    token.remove();
    rmSync(work, { recursive: true, force: true });
  }
  table.expectAllHeld();
});
