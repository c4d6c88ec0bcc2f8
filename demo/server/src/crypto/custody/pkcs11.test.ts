import { createRequire } from 'node:module';
import { readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInvitationKeyPair, historyViewResponseSchema, openAnswers, sealAnswers, type EnvelopeBinding } from '@secure-forms/shared';
import { createLogger } from '../../logger.js';
import { CARD, POSTCODE, submitted } from '../../test/flows.js';
import { harness } from '../../test/harness.js';
import { createSoftHsmToken, SOFTHSM_MODULE, softHsmMissing, type SoftHsmToken } from '../../test/softhsm.js';
import { HistoryKeys } from '../history-keys.js';
import { Vault } from '../vault.js';
import { DataKeyRing } from './data-keys.js';
import { LocalCustody } from './local.js';
import { Pkcs11Custody } from './pkcs11.js';
import { CustodyError } from './types.js';

const missing = softHsmMissing();
if (missing) {
  // Loud on purpose: `npm test` installs SoftHSM2 first (scripts/ensure-softhsm.ts), so this only
  // happens when the tests are run by hand on a machine without it.
  console.warn(
    `\n*** SKIPPED: the PKCS#11 key custody tests need SoftHSM2 (${missing}). Run: node --import tsx scripts/ensure-softhsm.ts ***\n`,
  );
}

const silent = createLogger({ level: 'silent' });
const binding: EnvelopeBinding = { invitationId: 'inv-1', siteId: 'demo', formRef: 'card-payment@1', part: 'on-the-record' };

describe.skipIf(missing)('the PKCS#11 key custody on SoftHSM2', () => {
  let token: SoftHsmToken;
  const open = (keyLabel: string, pin = token.pin) =>
    new Pkcs11Custody({ module: SOFTHSM_MODULE, tokenLabel: token.label, pin, keyLabel, logger: silent });

  beforeAll(() => {
    token = createSoftHsmToken();
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  });
  afterAll(() => token.remove());

  it('generates the wrapping key and the history key in the token, sensitive and not extractable', async () => {
    const custody = open('t-extract');
    await custody.historyPublicKey('demo');
    custody.close();
    // Look at the token as any PKCS#11 client with the PIN would.
    const ck = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');
    const p = new ck.PKCS11();
    p.load(SOFTHSM_MODULE);
    p.C_Initialize();
    try {
      const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === token.label)!;
      const session = p.C_OpenSession(slot, ck.CKF_SERIAL_SESSION);
      p.C_Login(session, ck.CKU_USER, token.pin);
      for (const [label, cls] of [
        ['t-extract:wrapping-key', ck.CKO_SECRET_KEY],
        ['t-extract:history:demo', ck.CKO_PRIVATE_KEY],
      ] as const) {
        p.C_FindObjectsInit(session, [
          { type: ck.CKA_LABEL, value: label },
          { type: ck.CKA_CLASS, value: cls },
        ]);
        const [key] = p.C_FindObjects(session, 2);
        p.C_FindObjectsFinal(session);
        expect(key, label).toBeDefined();
        const [sensitive, extractable, onToken] = p.C_GetAttributeValue(session, key!, [
          { type: ck.CKA_SENSITIVE },
          { type: ck.CKA_EXTRACTABLE },
          { type: ck.CKA_TOKEN },
        ]);
        const flag = (value: unknown) => (Buffer.isBuffer(value) ? value[0] !== 0 : value);
        expect([flag(sensitive?.value), flag(extractable?.value), flag(onToken?.value)], label).toEqual([true, false, true]);
        expect(() => p.C_GetAttributeValue(session, key!, [{ type: ck.CKA_VALUE }]), label).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
        // Nor can it be wrapped out under a key the caller knows.
        expect(() => p.C_WrapKey(session, { mechanism: ck.CKM_AES_KEY_WRAP_PAD }, key!, key!, Buffer.alloc(256)), label).toThrow();
      }
      p.C_CloseSession(session);
    } finally {
      p.C_Finalize();
    }
  });

  it('unwraps its data keys after a restart, and nothing else does', () => {
    const first = open('t-data');
    const { key, wrapped } = first.newDataKey();
    expect(key).toHaveLength(32);
    expect(wrapped.includes(key)).toBe(false);
    first.close();
    const again = open('t-data');
    expect(again.unwrapDataKey(wrapped).equals(key)).toBe(true);
    expect(again.legacyDataKey()).toBeUndefined();
    // Another wrapping key in the same token (another key label) does not unwrap it.
    const other = open('t-data-other');
    expect(() => other.unwrapDataKey(wrapped)).toThrow(CustodyError);
    other.close();
    again.close();
    // Nor does the local custody, whatever master key it is given.
    expect(() => new LocalCustody(Buffer.alloc(32), undefined).unwrapDataKey(wrapped)).toThrow(CustodyError);
  });

  it('refuses a wrong PIN without repeating it', () => {
    let message = '';
    try {
      open('t-pin', 'wrong-pin-4711');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Login to the token failed \(CKR_PIN_INCORRECT\)/);
    expect(message).not.toContain('wrong-pin-4711');
  });

  it('opens the history copy with ECDH and the Concat KDF inside the token; the public key survives a restart', async () => {
    const custody = open('t-history');
    const historyKeys = new HistoryKeys(custody);
    const publicJwk = await historyKeys.publicKey('demo');
    expect(publicJwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const agent = await generateInvitationKeyPair();
    const envelope = await sealAnswers({ cardNumber: CARD }, [agent.publicJwk, publicJwk], binding);
    expect(await historyKeys.open(envelope, binding)).toEqual({ cardNumber: CARD });
    await expect(historyKeys.privateKey('demo')).rejects.toThrow(/inside the token/);
    custody.close();
    const restarted = open('t-history');
    expect(await restarted.historyPublicKey('demo')).toEqual(publicJwk);
    expect(await new HistoryKeys(restarted).open(envelope, binding)).toEqual({ cardNumber: CARD });
    await expect(new HistoryKeys(restarted).open(envelope, { ...binding, invitationId: 'inv-2' })).rejects.toThrow(/bound/);
    // A sealed copy to the agent only is not opened by the history key.
    const agentOnly = await sealAnswers({ cardNumber: CARD }, [agent.publicJwk], binding);
    await expect(new HistoryKeys(restarted).open(agentOnly, binding)).rejects.toThrow(/could not be opened/);
    restarted.close();
  });

  it('makes one history key pair when 50 first uses come at once, and opens 50 history copies at once', async () => {
    const custody = open('t-concurrent');
    const keys = await Promise.all(Array.from({ length: 50 }, () => custody.historyPublicKey('demo')));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    const envelopes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sealAnswers({ cardNumber: `${CARD} ${i}` }, [keys[0]!], binding)),
    );
    custody.close();
    // After a restart nothing is loaded: 50 first uses at once again. A second pair under the
    // label would be refused here ("more than one key").
    const restarted = open('t-concurrent');
    const historyKeys = new HistoryKeys(restarted);
    const opened = await Promise.all(envelopes.map((e) => historyKeys.open(e, binding)));
    expect(opened.map((a) => a.cardNumber)).toEqual(envelopes.map((_, i) => `${CARD} ${i}`));
    expect(await historyKeys.publicKey('demo')).toEqual(keys[0]);
    restarted.close();
  });

  it('runs the backend on the token: round trip, history view, TOTP, rotation; no key file in the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sf-pkcs11-data-'));
    const custody = open('t-app');
    const h = await harness({ custody, dataDir });
    const t = await submitted(h);
    const morgan = await h.session('morgan'); // TOTP seed unwrapped with a data key from the token
    const oneView = await generateInvitationKeyPair();
    const res = await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: oneView.publicJwk },
    });
    expect(res.status).toBe(200);
    const body = historyViewResponseSchema.parse(await res.json());
    expect(await openAnswers(body.onTheRecord, oneView.privateKey, t.binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
    expect(await h.all('SELECT key_id, custody FROM data_keys')).toEqual([{ key_id: 'k1', custody: 'pkcs11' }]);
    expect(await h.app.rotateKey()).toEqual({ keyId: 'k2', rewrapped: 1 });
    expect(await h.all('SELECT key_id, custody FROM data_keys ORDER BY key_id')).toEqual([
      { key_id: 'k1', custody: 'pkcs11' },
      { key_id: 'k2', custody: 'pkcs11' },
    ]);
    expect(readdirSync(dataDir)).toEqual([]);

    // What is stored opens with the token after a restart, and with nothing else.
    const row = (await h.get('SELECT id, site_id, key_id, iv, ciphertext, tag FROM submissions WHERE id = ?', t.submissionId)) as {
      id: string;
      site_id: string;
      key_id: string;
      iv: Buffer;
      ciphertext: Buffer;
      tag: Buffer;
    };
    const record = { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, tag: row.tag };
    custody.close();
    const restarted = open('t-app');
    const ring = async (c: Pkcs11Custody | LocalCustody) => new Vault(await DataKeyRing.open(c, h.app.store, Date.now), 'k2');
    expect(JSON.parse((await ring(restarted)).unwrap(record, row.id, row.site_id))).toHaveProperty('recipients');
    const local = await ring(new LocalCustody(Buffer.alloc(32, 1), undefined));
    expect(() => local.unwrap(record, row.id, row.site_id)).toThrow(/pkcs11 key custody/);
    const strangerToken = open('t-app-stranger');
    const stranger = await ring(strangerToken);
    expect(() => stranger.unwrap(record, row.id, row.site_id)).toThrow(CustodyError);
    strangerToken.close();
    restarted.close();
  });
});
