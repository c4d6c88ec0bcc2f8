/**
 * `POST /v1/invitations/:iid/view`, the frame's one request on open: with the visitor's
 * conversation token in its header, it counts the open as `POST /invitations/:iid/open` does and
 * answers the form as `POST /forms/view` does, with a submit key and no view key at all. Refused as
 * the open route refuses, with nothing counted or stored; from an origin of another site, refused
 * before anything is done.
 */
import { randomUUID } from 'node:crypto';
import {
  historyListResponseSchema,
  INVITATION_WEBHOOK_EVENT_TYPES,
  messageListResponseSchema,
  type FormDefinition,
  LOCALE_TAG_MAX,
  localize,
  openFormResponseSchema,
  viewFormResponseSchema,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { demoSite } from './sites/index.js';
import { code, openAndView, openForm, seal, sent } from './test/flows.js';
import { BRAND, harness, PCI, readEvent } from './test/harness.js';
import { webhookReceiver } from './test/webhook-receiver.js';
import { createCredential } from './test/integration.js';

type H = Awaited<ReturnType<typeof harness>>;

const OTHER_BRAND = 'http://other-brand.example';

const view = (h: H, invitationId: string, headers: Record<string, string> = {}, query = '') =>
  h.request(`/v1/invitations/${invitationId}/view${query}`, { method: 'POST', headers });

/** What an invitation's opens and the stored keys are: a refused request changes neither. */
async function counts(h: H, invitationId: string) {
  const row = (await h.get('SELECT opens FROM invitations WHERE id = ?', invitationId)) as { opens: number } | undefined;
  const keys = (await h.all('SELECT action FROM one_time_keys ORDER BY action')) as { action: string }[];
  return { opens: row?.opens, keys: keys.map((k) => k.action) };
}

describe('POST /v1/invitations/:iid/view: the open and the form in one request', () => {
  it('counts the open and answers the form, both record keys, the opens left and a submit key that submits', async () => {
    const h = await harness();
    const s = await sent(h);
    const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
    const res = await view(h, s.invitation.id, { ...s.visitor.headers, Origin: PCI });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(PCI);
    const body = openFormResponseSchema.parse(await res.json());
    expect(body).toMatchObject({
      invitationId: s.invitation.id,
      siteId: 'demo',
      form: { id: 'card-payment', version: 1 },
      offTheRecordKey: s.keys.publicJwk,
      extensionsLeft: 10,
      opensLeft: 2,
    });
    // The agent's key first; the site history key second (history viewing is on for site demo).
    expect(body.recordKeys).toHaveLength(2);
    expect(body.recordKeys[0]).toEqual(s.keys.publicJwk);
    // The window is the submit key's (30 minutes), and the history key id is recorded for the manager's view.
    expect(Date.parse(body.submitDeadline)).toBe(h.now() + 1800_000);
    expect(await h.get('SELECT state, opens, submit_deadline, history_kid FROM invitations WHERE id = ?', s.invitation.id)).toEqual({
      state: 'opened',
      opens: 1,
      submit_deadline: h.now() + 1800_000,
      history_kid: body.recordKeys[1]?.kid,
    });
    // A submit key, and no view key: none is needed on this path.
    expect((await counts(h, s.invitation.id)).keys).toEqual(['submit']);
    const opened = await readEvent(events, (e) =>
      (e as { type?: string }).type === 'invitation' ? (e as { invitation: { state: string; opens: number } }) : undefined,
    );
    expect(opened.invitation).toMatchObject({ state: 'opened', opens: 1 });
    const transcript = messageListResponseSchema.parse(
      await (await h.request(`/v1/conversations/${s.visitor.id}/messages`, { headers: s.visitor.headers })).json(),
    );
    expect(transcript.messages.filter((m) => m.kind === 'invitation-status').map((m) => m.kind === 'invitation-status' && m.state)).toEqual(
      ['opened'],
    );

    const { body: answers } = await seal(body);
    const submittedRes = await h.request('/v1/submissions', { headers: h.otk(body.submitOtk), body: answers });
    expect(submittedRes.status).toBe(201);
  });

  it('counts down the opens left, writes the opened line once, and refuses the open past the limit with OPEN_LIMIT_REACHED', async () => {
    const h = await harness();
    const s = await sent(h);
    const answers = [];
    for (let i = 0; i < s.invitation.openLimit; i++) answers.push(await openAndView(h, s.visitor, s.invitation.id));
    expect(answers.map((a) => a.opensLeft)).toEqual([2, 1, 0]);
    expect(new Set(answers.map((a) => a.submitOtk)).size).toBe(3);
    const refused = await view(h, s.invitation.id, s.visitor.headers);
    expect(refused.status).toBe(409);
    expect(await code(refused)).toBe('OPEN_LIMIT_REACHED');
    expect(await counts(h, s.invitation.id)).toEqual({ opens: 3, keys: ['submit', 'submit', 'submit'] });
    const statuses = (await h.all("SELECT state FROM messages WHERE kind = 'invitation-status'")) as { state: string }[];
    expect(statuses).toEqual([{ state: 'opened' }]);
  });

  it('gives the history key where the site has history viewing, and a manager can then view the answers; one key and no id without', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openAndView(h, s.visitor, s.invitation.id);
    const { body } = await seal(opened);
    const res = await h.request('/v1/submissions', { headers: h.otk(opened.submitOtk), body });
    expect(res.status).toBe(201);
    const morgan = await h.session('morgan');
    const { responses } = historyListResponseSchema.parse(
      await (await h.request(`/v1/conversations/${s.visitor.id}/history`, { headers: morgan.headers })).json(),
    );
    expect(responses.map((r) => r.viewable)).toEqual([true]);

    const without = await harness({ site: (site) => ({ ...site, historyViewing: false }) });
    const t = await sent(without);
    const alone = await openAndView(without, t.visitor, t.invitation.id);
    expect(alone.recordKeys).toEqual([t.keys.publicJwk]);
    expect(await without.get('SELECT history_kid FROM invitations WHERE id = ?', t.invitation.id)).toEqual({ history_kid: null });
  });

  it("queues the invitation's opened webhook on its first open only", async () => {
    const h = await harness({ webhooks: { allowPrivateTargets: true, jitter: () => 0.5, timeoutMs: 200 } });
    const receiver = await webhookReceiver();
    const server = await createCredential(h);
    const events = INVITATION_WEBHOOK_EVENT_TYPES;
    expect((await h.request('/v1/integration/webhooks', { headers: server.headers, body: { url: receiver.url, events } })).status).toBe(
      201,
    );
    const s = await sent(h);
    await openAndView(h, s.visitor, s.invitation.id);
    await openAndView(h, s.visitor, s.invitation.id);
    const queued = (await h.all('SELECT event_type FROM webhook_deliveries')) as { event_type: string }[];
    expect(queued.map((d) => d.event_type).sort()).toEqual(['invitation.opened', 'invitation.sent']);
  });

  it('takes no body: a POST without one or with an empty JSON object is answered; the token as text/plain is refused with 415', async () => {
    const h = await harness();
    const s = await sent(h);
    expect((await view(h, s.invitation.id, s.visitor.headers)).status).toBe(200);
    expect((await h.request(`/v1/invitations/${s.invitation.id}/view`, { headers: s.visitor.headers, body: {} })).status).toBe(200);
    const text = await h.request(`/v1/invitations/${s.invitation.id}/view`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: s.visitor.token,
    });
    expect(text.status).toBe(415);
    expect(await code(text)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await counts(h, s.invitation.id)).opens).toBe(2);
  });
});

describe('the form answer for one locale: ?locale= keeps only the translations the frame shows', () => {
  /** Every translation key of every text in `form`. */
  const translationKeys = (form: FormDefinition) =>
    new Set(
      [form.title, form.description, ...form.fields.flatMap((f) => [f.label, f.hint, ...(f.options ?? []).map((o) => o.label)])].flatMap(
        (t) => (t && typeof t === 'object' ? Object.keys(t.translations ?? {}) : []),
      ),
    );

  it('keeps the locale and its language, and the form reads the same in it; English alone for en', async () => {
    const h = await harness();
    const first = await sent(h);
    const full = (await openAndView(h, first.visitor, first.invitation.id)).form;
    expect([...translationKeys(full)].sort()).toEqual(['ar', 'de', 'es', 'fr']);
    for (const [locale, kept] of [
      ['ar', ['ar']],
      ['fr-CA', ['fr']],
      ['en', []],
      ['zh-Hant-TW', []],
      // Not a language tag: English, as the frame shows it for this tag.
      ['fr_CA', []],
    ] as const) {
      // An invitation per locale: each may be opened only so often.
      const s = await sent(h);
      const res = await view(h, s.invitation.id, s.visitor.headers, `?locale=${locale}`);
      expect(res.status, locale).toBe(200);
      const { form } = openFormResponseSchema.parse(await res.json());
      expect([...translationKeys(form)], locale).toEqual(kept);
      expect(form.fields.map((f) => localize(f.label, locale))).toEqual(full.fields.map((f) => localize(f.label, locale)));
      expect(localize(form.title, locale)).toBe(localize(full.title, locale));
      expect(Buffer.byteLength(JSON.stringify(form))).toBeLessThan(Buffer.byteLength(JSON.stringify(full)));
    }
  });

  it('refuses an empty locale and one longer than a tag with VALIDATION_FAILED, opening nothing', async () => {
    const h = await harness();
    const s = await sent(h);
    const before = await counts(h, s.invitation.id);
    for (const locale of ['', 'x'.repeat(LOCALE_TAG_MAX + 1)]) {
      const res = await view(h, s.invitation.id, s.visitor.headers, `?locale=${encodeURIComponent(locale)}`);
      expect(res.status, locale).toBe(400);
      expect(await code(res)).toBe('VALIDATION_FAILED');
    }
    expect(await counts(h, s.invitation.id)).toEqual(before);
  });

  it('POST /v1/forms/view takes it too; a refused locale leaves the view key unspent', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const refused = await h.request(`/v1/forms/view?locale=${'x'.repeat(LOCALE_TAG_MAX + 1)}`, {
      method: 'POST',
      headers: h.otk(opened.viewOtk),
    });
    expect(refused.status).toBe(400);
    expect(await code(refused)).toBe('VALIDATION_FAILED');
    const res = await h.request('/v1/forms/view?locale=ar', { method: 'POST', headers: h.otk(opened.viewOtk) });
    expect(res.status).toBe(200);
    const { form } = viewFormResponseSchema.parse(await res.json());
    expect([...translationKeys(form)]).toEqual(['ar']);
  });
});

/** A state the invitation is in, and the credential a request brings: what both open routes must refuse alike. */
interface Refused {
  what: string;
  code: string;
  status: number;
  /** From a sent invitation: the invitation to open and the headers to open it with. */
  prepare: (h: H, s: Awaited<ReturnType<typeof sent>>) => Promise<{ invitationId: string; headers: Record<string, string> }>;
}

const REFUSED: Refused[] = [
  {
    what: 'an invitation that does not exist',
    code: 'NOT_FOUND',
    status: 404,
    prepare: async (_h, s) => ({ invitationId: randomUUID(), headers: s.visitor.headers }),
  },
  {
    what: "an invitation of another conversation (that conversation's token does not fit it)",
    code: 'UNAUTHENTICATED',
    status: 401,
    prepare: async (h, s) => ({ invitationId: s.invitation.id, headers: (await h.startConversation('Other Visitor')).headers }),
  },
  {
    what: 'a request without the conversation token',
    code: 'UNAUTHENTICATED',
    status: 401,
    prepare: async (_h, s) => ({ invitationId: s.invitation.id, headers: {} }),
  },
  {
    what: 'a token of no conversation',
    code: 'UNAUTHENTICATED',
    status: 401,
    prepare: async (_h, s) => ({ invitationId: s.invitation.id, headers: { 'Secure-Forms-Conversation': 'A'.repeat(43) } }),
  },
  {
    what: 'a malformed token',
    code: 'UNAUTHENTICATED',
    status: 401,
    prepare: async (_h, s) => ({ invitationId: s.invitation.id, headers: { 'Secure-Forms-Conversation': 'short' } }),
  },
  {
    what: 'an invitation of an ended conversation',
    code: 'CONVERSATION_CLOSED',
    status: 409,
    prepare: async (h, s) => {
      expect((await h.request(`/v1/conversations/${s.visitor.id}/close`, { method: 'POST', headers: s.visitor.headers })).status).toBe(200);
      return { invitationId: s.invitation.id, headers: s.visitor.headers };
    },
  },
  {
    what: 'an invitation answered already',
    code: 'ALREADY_SUBMITTED',
    status: 409,
    prepare: async (h, s) => {
      const opened = await openAndView(h, s.visitor, s.invitation.id);
      const { body } = await seal(opened);
      expect((await h.request('/v1/submissions', { headers: h.otk(opened.submitOtk), body })).status).toBe(201);
      return { invitationId: s.invitation.id, headers: s.visitor.headers };
    },
  },
  {
    what: 'a cancelled invitation',
    code: 'INVITATION_CANCELLED',
    status: 410,
    prepare: async (h, s) => {
      expect((await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: s.alice.headers })).status).toBe(200);
      return { invitationId: s.invitation.id, headers: s.visitor.headers };
    },
  },
  {
    what: 'an invitation past its time',
    code: 'INVITATION_EXPIRED',
    status: 410,
    prepare: async (h, s) => {
      h.advance(24 * 3600_000);
      return { invitationId: s.invitation.id, headers: s.visitor.headers };
    },
  },
  {
    what: 'an invitation opened as often as it may be',
    code: 'OPEN_LIMIT_REACHED',
    status: 409,
    prepare: async (h, s) => {
      for (let i = 0; i < s.invitation.openLimit; i++) await openAndView(h, s.visitor, s.invitation.id);
      return { invitationId: s.invitation.id, headers: s.visitor.headers };
    },
  },
];

describe('POST /v1/invitations/:iid/view refuses what the open route refuses', () => {
  it.each(REFUSED)('refuses $what with $code ($status), as the open route does, counting and storing nothing', async (refused) => {
    const h = await harness();
    const s = await sent(h);
    const { invitationId, headers } = await refused.prepare(h, s);
    const before = await counts(h, invitationId);
    const res = await view(h, invitationId, headers);
    expect({ status: res.status, code: await code(res) }).toEqual({ status: refused.status, code: refused.code });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'form.open', outcome: 'refused', reason: refused.code, invitationId });
    const open = await h.request(`/v1/invitations/${invitationId}/open`, { method: 'POST', headers });
    expect({ status: open.status, code: await code(open) }).toEqual({ status: refused.status, code: refused.code });
    expect(await counts(h, invitationId)).toEqual(before);
    if (refused.status === 401) expect(res.headers.get('WWW-Authenticate')).toBe('Secure-Forms-Conversation realm="secure-forms"');
  });

  it("refuses another site's brand origin and an origin no site lists with ORIGIN_NOT_ALLOWED, before opening anything", async () => {
    const other = { ...demoSite(8080), id: 'other', title: 'Other Brand', brandOrigins: [OTHER_BRAND], operators: [] };
    const h = await harness({ otherSites: [other] });
    const s = await sent(h);
    for (const origin of [OTHER_BRAND, 'https://attacker.example']) {
      const res = await view(h, s.invitation.id, { ...s.visitor.headers, Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
      expect(await code(res)).toBe('ORIGIN_NOT_ALLOWED');
    }
    expect(await counts(h, s.invitation.id)).toEqual({ opens: 0, keys: [] });
    // The site's own brand origin may call it too, as it may every route of its site.
    const brand = await view(h, s.invitation.id, { ...s.visitor.headers, Origin: BRAND });
    expect(brand.status).toBe(200);
    expect(brand.headers.get('Access-Control-Allow-Origin')).toBe(BRAND);
  });
});
