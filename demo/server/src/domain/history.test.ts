/** The manager's history path, via the site history key; never off-the-record. */
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInvitationKeyPair, historyListResponseSchema, historyViewResponseSchema, openAnswers } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import { CARD, code, CVV, POSTCODE, submitted, typedText } from '../test/flows.js';

describe('responses in conversation history', () => {
  it('lets a manager with the permission list and read on-the-record answers, re-sealed to a one-view key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-hist-'));
    const h = await harness({ dataDir: dir });
    const t = await submitted(h);
    const morgan = await h.session('morgan');
    const list = await h.request(`/v1/conversations/${t.visitor.id}/history`, { headers: morgan.headers });
    expect(list.status).toBe(200);
    const { responses } = historyListResponseSchema.parse(await list.json());
    expect(responses).toEqual([
      expect.objectContaining({ submissionId: t.submissionId, invitationId: t.invitation.id, formRef: 'card-payment@1', viewable: true }),
    ]);
    const oneView = await generateInvitationKeyPair();
    const res = await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: oneView.publicJwk },
    });
    expect(res.status).toBe(200);
    const body = historyViewResponseSchema.parse(await res.json());
    const answers = await openAnswers(body.onTheRecord, oneView.privateKey, t.binding('on-the-record'));
    expect(answers).toEqual({ cardNumber: CARD, billingPostcode: POSTCODE });
    expect(typedText(JSON.stringify(body))).not.toContain(CVV);
    // The sending agent's key cannot open the re-sealed copy; the history copy is not the agent's.
    await expect(openAnswers(body.onTheRecord, t.keys.privateKey, t.binding('on-the-record'))).rejects.toThrow();
    // The history private key: a JWK file with mode 0600, holding the public half returned by /forms/view.
    const file = join(dir, 'history-key-demo.jwk');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as { x: string; d: string };
    expect(jwk.x).toBe(t.view.recordKeys[1]?.x);
    expect(h.audit.entries.filter((e) => e.action.startsWith('history.')).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'history.list:success',
      'history.view:success',
    ]);
    expect(JSON.stringify(h.audit.entries)).not.toContain(jwk.d);
  });

  it('refuses managers without the permission, and agents', async () => {
    const h = await harness();
    const t = await submitted(h);
    const max = await h.session('max');
    const oneView = await generateInvitationKeyPair();
    for (const who of [max.headers, t.alice.headers]) {
      expect(await code(await h.request(`/v1/conversations/${t.visitor.id}/history`, { headers: who }))).toBe('FORBIDDEN');
      expect(
        await code(
          await h.request(`/v1/submissions/${t.submissionId}/history-view`, { headers: who, body: { publicKey: oneView.publicJwk } }),
        ),
      ).toBe('FORBIDDEN');
    }
    expect(
      h.audit.entries.filter((e) => e.action === 'history.view').every((e) => e.outcome === 'refused' && e.reason === 'FORBIDDEN'),
    ).toBe(true);
  });

  it('has nothing to show where the site has history viewing off: no history key, not viewable', async () => {
    const h = await harness({ site: (s) => ({ ...s, historyViewing: false }) });
    const t = await submitted(h);
    expect(t.view.recordKeys).toEqual([t.keys.publicJwk]);
    const morgan = await h.session('morgan');
    const { responses } = historyListResponseSchema.parse(
      await (await h.request(`/v1/conversations/${t.visitor.id}/history`, { headers: morgan.headers })).json(),
    );
    expect(responses[0]?.viewable).toBe(false);
    const oneView = await generateInvitationKeyPair();
    expect(
      await code(
        await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
          headers: morgan.headers,
          body: { publicKey: oneView.publicJwk },
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('never has off-the-record answers under the history key', async () => {
    const h = await harness();
    const t = await submitted(h);
    expect(t.view.offTheRecordKey).toEqual(t.keys.publicJwk);
    const historyKey = await h.app.services.rt.historyKeys.privateKey('demo');
    await expect(openAnswers(t.body.offTheRecord, historyKey, t.binding('off-the-record'))).rejects.toThrow();
    expect(await openAnswers(t.body.onTheRecord, historyKey, t.binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
  });

  it('refuses a private JWK as the one-view key', async () => {
    const h = await harness();
    const t = await submitted(h);
    const morgan = await h.session('morgan');
    const res = await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: { ...t.keys.publicJwk, d: 'x'.repeat(43) } },
    });
    expect(await code(res)).toBe('VALIDATION_FAILED');
  });
});
