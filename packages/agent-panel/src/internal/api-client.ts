/**
 * The panel's calls to the PCI backend's `/v1` API. Every call carries the operator's session in
 * `Secure-Forms-Session`; the retrieve call also carries its one-time key in
 * `Authorization: OTK <key>`. Nothing secret ever goes into a URL. Every response is parsed by
 * its schema from `@secure-forms/shared`; every failure becomes a `SecureFormsError` with a code
 * (shared's `requestJson`).
 */
import {
  API_PREFIX,
  SESSION_HEADER,
  formCatalogResponseSchema,
  historyListResponseSchema,
  historyViewResponseSchema,
  invitationViewSchema,
  messageListResponseSchema,
  otkAuthorization,
  retrieveOtkResponseSchema,
  requestJson,
  retrieveResponseSchema,
  type ConversationMessage,
  type CreateInvitationRequest,
  type FormSummary,
  type HistoryEntry,
  type InvitationView,
  type PublicJwk,
  type ResponseSchema,
  type RetrieveResponse,
} from '@secure-forms/shared';

export { isAbortError } from '@secure-forms/shared';

/**
 * Turn `pciOrigin` into a bare origin (`http://127.0.0.1:8443`), or `null` when it is not an
 * http(s) URL.
 */
export function normalizeOrigin(pciOrigin: string): string | null {
  try {
    const url = new URL(pciOrigin);
    return /^https?:$/.test(url.protocol) ? url.origin : null;
  } catch {
    return null;
  }
}

/** `/conversations/<cid>/history`: each id segment URL-encoded. */
const path = (collection: string, id: string, action = '') => `/${collection}/${encodeURIComponent(id)}${action && `/${action}`}`;

export class PanelApiClient {
  readonly #origin: string;
  readonly #session: string;
  readonly #signal: AbortSignal;

  /**
   * @param origin  the PCI origin, already normalized
   * @param session the operator's session token; kept private, sent only as a header
   * @param signal  aborts every request this client makes
   */
  constructor(origin: string, session: string, signal: AbortSignal) {
    this.#origin = origin;
    this.#session = session;
    this.#signal = signal;
  }

  /** Whether this client's signal was aborted: its scope was closed, so late results are dropped. */
  get closed(): boolean {
    return this.#signal.aborted;
  }

  /** The absolute URL of an API path. */
  url(apiPath: string): string {
    return new URL(API_PREFIX + apiPath, this.#origin).href;
  }

  /** The headers that authenticate the operator. */
  sessionHeaders(): Record<string, string> {
    return { [SESSION_HEADER]: this.#session };
  }

  /** GET `/forms`: the forms this site lets the agent send. */
  async listForms(): Promise<FormSummary[]> {
    return (await this.#request('GET', '/forms', formCatalogResponseSchema)).forms;
  }

  /** GET `/conversations/:cid/messages`: the transcript (ids, titles and status lines only). */
  async listMessages(conversationId: string): Promise<ConversationMessage[]> {
    return (await this.#request('GET', path('conversations', conversationId, 'messages'), messageListResponseSchema)).messages;
  }

  /** POST `/conversations/:cid/invitations`. */
  createInvitation(conversationId: string, request: CreateInvitationRequest): Promise<InvitationView> {
    return this.#request('POST', path('conversations', conversationId, 'invitations'), invitationViewSchema, request);
  }

  /** GET `/invitations/:iid`: the invitation, for the agent who sent it (anyone else: `NOT_SENDER`). */
  getInvitation(invitationId: string): Promise<InvitationView> {
    return this.#request('GET', path('invitations', invitationId), invitationViewSchema);
  }

  /** POST `/invitations/:iid/cancel` (the sender): the invitation, now cancelled. */
  cancelInvitation(invitationId: string): Promise<InvitationView> {
    return this.#request('POST', path('invitations', invitationId, 'cancel'), invitationViewSchema);
  }

  /** GET `/conversations/:cid/history` (permission view-responses-in-history). */
  async listHistory(conversationId: string): Promise<HistoryEntry[]> {
    return (await this.#request('GET', path('conversations', conversationId, 'history'), historyListResponseSchema)).responses;
  }

  /** POST `/submissions/:sid/history-view`: the on-the-record answers sealed to `publicKey`. */
  historyView(submissionId: string, publicKey: PublicJwk) {
    return this.#request('POST', path('submissions', submissionId, 'history-view'), historyViewResponseSchema, { publicKey });
  }

  /** POST `/submissions/:sid/retrieve` with the retrieve OTK (spent by this call, win or lose). */
  retrieve(submissionId: string, retrieveOtk: string): Promise<RetrieveResponse> {
    return this.#request('POST', path('submissions', submissionId, 'retrieve'), retrieveResponseSchema, undefined, {
      Authorization: otkAuthorization(retrieveOtk),
    });
  }

  /** POST `/submissions/:sid/retrieve-otk`: a fresh retrieve OTK for the sender. */
  async freshRetrieveOtk(submissionId: string): Promise<string> {
    return (await this.#request('POST', path('submissions', submissionId, 'retrieve-otk'), retrieveOtkResponseSchema)).retrieveOtk;
  }

  #request<T>(
    method: 'GET' | 'POST',
    apiPath: string,
    schema: ResponseSchema<T>,
    body?: unknown,
    extraHeaders?: Record<string, string>,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.sessionHeaders(), ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return requestJson(
      this.url(apiPath),
      {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal: this.#signal,
      },
      schema,
    );
  }
}
