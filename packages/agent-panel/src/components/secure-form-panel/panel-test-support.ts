/** Test doubles shared by the panel's component tests: a fake PCI backend behind `fetch`. */
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';
import { CARD_PAYMENT, IDENTITY_CHECK } from '../../../../../fixtures/forms.js';
import { json } from '../../../../../fixtures/http.js';
import {
  formDefinitionSchema,
  formSummary,
  publicJwkSchema,
  sealAnswers,
  type AgentEvent,
  type EnvelopeBinding,
  type InvitationView,
} from '@secure-forms/shared';
import type { PanelErrorCode } from '../../internal/problems.js';
import { FocusController } from './focus-controller.js';
import { InvitationLedger } from './invitation-ledger.js';
import { LiveAnnouncer } from './live-announcer.js';
import type { PanelContext } from './panel-context.js';
import { RevealController } from './reveal-controller.js';
import { SessionScope } from './session-scope.js';

export const PCI = 'http://127.0.0.1:8443';
export const CID = '11111111-1111-4111-8111-111111111111';
export const INV = '22222222-2222-4222-8222-222222222222';
export const OTHER_INV = '33333333-3333-4333-8333-333333333333';
export const SID = '44444444-4444-4444-8444-444444444444';
export const SESSION = 'c2Vzc2lvbi10b2tlbi1mb3ItdGVzdHM';
export const OTK = 'A'.repeat(43);
export const FRESH_OTK = 'B'.repeat(43);
/** The card the visitor typed, as the panel shows it. */
export const CARD = TEST_CARDS.visa.number;
export { CVV };
/** Strings that must never reach a host event: the card's first six digits, its middle groups, the CVV, the credentials. */
export const SECRETS = [TEST_CARDS.visa.digits.slice(0, 6), CARD.slice(5, 14), CVV, OTK, FRESH_OTK, SESSION];

/** The backend's form list: the example forms (docs/forms) as `GET /v1/forms` lists them. */
export const FORMS = [CARD_PAYMENT, IDENTITY_CHECK].map((form) => formSummary(formDefinitionSchema.parse(form)));

/** The English text of a label or title of the example forms. */
function english(text: string | { en: string }): string {
  return typeof text === 'string' ? text : text.en;
}
/** The English label of the card form's field `id`. */
function cardLabel(id: (typeof CARD_PAYMENT.fields)[number]['id']): string {
  return english(CARD_PAYMENT.fields.find((field) => field.id === id)!.label);
}

/** The example card form as the panel names it in English: its title, the reference its envelopes are bound to, its labels. */
export const CARD_FORM = {
  id: CARD_PAYMENT.id,
  title: english(CARD_PAYMENT.title),
  ref: `${CARD_PAYMENT.id}@${CARD_PAYMENT.version}`,
  cardNumber: cardLabel('cardNumber'),
  expiry: cardLabel('expiry'),
  cvv: cardLabel('cvv'),
};

/** The example identity form as the panel names it in English. */
export const IDENTITY_FORM = {
  id: IDENTITY_CHECK.id,
  title: english(IDENTITY_CHECK.title),
  ref: `${IDENTITY_CHECK.id}@${IDENTITY_CHECK.version}`,
};

export { json };

export function refusal(code: string, status: number): Response {
  return json(status, { error: { code, message: `refused: ${code}` } });
}

export interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** Plays the PCI backend behind a stubbed `fetch`. */
export class FakeBackend {
  readonly requests: Seen[] = [];
  publicKey: unknown;
  streamsOpened = 0;
  streamAborted = false;
  #sse: ReadableStreamDefaultController<Uint8Array> | undefined;
  /** What POST /retrieve answers, in order; the last one repeats. */
  retrieveReplies: (() => Response | Promise<Response>)[] = [];
  /** More routes, `METHOD /path` to a reply. */
  routes: Record<string, (body: string) => Response | Promise<Response>> = {};

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'GET' ? '' : await request.text();
    this.requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /v1/forms') return json(200, { forms: FORMS });
    if (route === 'GET /v1/agent/events') {
      this.streamsOpened++;
      const stream = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.#sse = controller;
        },
      });
      init?.signal?.addEventListener('abort', () => {
        this.streamAborted = true;
        this.#sse?.error(new DOMException('aborted', 'AbortError'));
      });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
    }
    if (route === `POST /v1/conversations/${CID}/invitations`) {
      const parsed = JSON.parse(body) as { formId: string; publicKey: unknown };
      this.publicKey = parsed.publicKey;
      return json(201, invitation({ formId: parsed.formId }));
    }
    if (route === `POST /v1/submissions/${SID}/retrieve`) {
      const reply = this.retrieveReplies.length > 1 ? this.retrieveReplies.shift() : this.retrieveReplies[0];
      return reply ? reply() : refusal('INTERNAL', 500);
    }
    const extra = this.routes[route];
    if (extra) return extra(body);
    if (route === `POST /v1/submissions/${SID}/retrieve-otk`) {
      return json(200, { retrieveOtk: FRESH_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    return refusal('NOT_FOUND', 404);
  }

  /** Ends the current event stream as a dropped connection would. */
  dropStream(): void {
    this.#sse?.close();
  }

  push(event: AgentEvent): void {
    this.#sse?.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(event)}\n\n`));
  }

  find(method: string, pathEnd: string): Seen[] {
    return this.requests.filter((r) => r.method === method && new URL(r.url).pathname.endsWith(pathEnd));
  }
}

export function invitation(over: Partial<InvitationView> = {}): InvitationView {
  const now = new Date().toISOString();
  return {
    id: INV,
    conversationId: CID,
    formId: CARD_FORM.id,
    formVersion: 1,
    formTitle: CARD_FORM.title,
    state: 'sent',
    opens: 0,
    openLimit: 3,
    submissionId: null,
    sentAt: now,
    updatedAt: now,
    ...over,
  };
}

export interface Sealing {
  boundTo?: string;
  offTheRecordState?: 'available' | 'handed-out' | 'expired' | 'none';
  offTheRecordExpiresAt?: string | null;
  /** More answers inside the on-the-record envelope, as a modified frame could put there. */
  extraOnTheRecord?: Record<string, string>;
}

/**
 * Serve `POST /v1/submissions/SID/history-view` as the backend does: `answers` (on the record only,
 * the card being the Mastercard test card) sealed to the key the panel sent, in a reply submitted
 * at `submittedAt()`. The public keys the views were sealed to, in order.
 */
export function serveHistoryView(backend: FakeBackend, answers: Record<string, string>, submittedAt: () => string): unknown[] {
  const keys: unknown[] = [];
  backend.routes[`POST /v1/submissions/${SID}/history-view`] = async (body) => {
    const { publicKey } = JSON.parse(body) as { publicKey: unknown };
    keys.push(publicKey);
    const formRef = CARD_FORM.ref;
    const onTheRecord = await sealAnswers(answers, [publicJwkSchema.parse(publicKey)], {
      invitationId: INV,
      siteId: 'demo',
      formRef,
      part: 'on-the-record',
    });
    return json(200, {
      submissionId: SID,
      invitationId: INV,
      siteId: 'demo',
      formRef,
      submittedAt: submittedAt(),
      onTheRecord,
      hints: { cardBrand: 'mastercard', lastFour: TEST_CARDS.mastercard.lastFour },
    });
  };
  return keys;
}

/** Seal answers to the key the panel sent, as the frame would, and build the retrieve reply. */
export async function sealedReply(backend: FakeBackend, options: Sealing = {}): Promise<Response> {
  const jwk = publicJwkSchema.parse(backend.publicKey);
  const binding: Omit<EnvelopeBinding, 'part'> = {
    invitationId: options.boundTo ?? INV,
    siteId: 'demo',
    formRef: CARD_FORM.ref,
  };
  const state = options.offTheRecordState ?? 'available';
  const onTheRecord = await sealAnswers({ cardNumber: CARD, expiry: '12/30', ...options.extraOnTheRecord }, [jwk], {
    ...binding,
    part: 'on-the-record',
  });
  const offTheRecord = state === 'available' ? await sealAnswers({ cvv: CVV }, [jwk], { ...binding, part: 'off-the-record' }) : null;
  return json(200, {
    submissionId: SID,
    invitationId: INV,
    siteId: 'demo',
    formRef: CARD_FORM.ref,
    submittedAt: new Date().toISOString(),
    onTheRecord,
    offTheRecord,
    offTheRecordState: state,
    offTheRecordExpiresAt:
      options.offTheRecordExpiresAt !== undefined
        ? options.offTheRecordExpiresAt
        : state === 'available'
          ? new Date(Date.now() + 300_000).toISOString()
          : null,
    hints: { cardBrand: 'visa', lastFour: '1111' },
  });
}

export function submissionEvent(): AgentEvent {
  return {
    type: 'submission',
    invitationId: INV,
    submissionId: SID,
    retrieveOtk: OTK,
    retrieveOtkExpiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
}

/** The panel as its action controllers see it, without a DOM: updates are no-ops, host events are kept. */
export class TestHost extends EventTarget {
  conversationId = CID;
  operatorId = 'operator-alice';
  readonly events: Event[] = [];
  readonly updateComplete = Promise.resolve(true);
  /** No DOM: focus has nowhere to go. */
  readonly renderRoot = new EventTarget() as DocumentFragment;
  addController(): void {}
  removeController(): void {}
  requestUpdate(): void {}
  override dispatchEvent(event: Event): boolean {
    this.events.push(event);
    return super.dispatchEvent(event);
  }
  /** The types of the host events dispatched so far. */
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

/**
 * A panel context over `host` with the test catalogue, English, and every problem it is told
 * recorded in `problems` (`clear` as `null`, or `clear CODE`).
 */
export function testContext(host: TestHost): PanelContext & { problems: (PanelErrorCode | `clear ${PanelErrorCode}` | null)[] } {
  const problems: (PanelErrorCode | `clear ${PanelErrorCode}` | null)[] = [];
  return {
    scope: new SessionScope(),
    invitations: new InvitationLedger(),
    live: new LiveAnnouncer(host),
    focus: new FocusController(host),
    reveal: new RevealController(host, { expire: () => false, announce: () => {} }),
    forms: () => FORMS,
    locale: () => 'en',
    fail: (code) => problems.push(code),
    clear: (code) => problems.push(code ? `clear ${code}` : null),
    problems,
  };
}
