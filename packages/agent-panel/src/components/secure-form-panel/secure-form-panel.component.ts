import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import {
  EnvelopeError,
  formRef,
  localize,
  maskCardNumber,
  maskSecret,
  type AgentEvent,
  type Answers,
  type FieldType,
  type FormDefinition,
  type InvitationState,
  type InvitationView,
  type LocalizedText,
  type RecordPart,
  type HistoryEntry,
  type RetrieveResponse,
} from '@secure-forms/shared';
import { PanelApiClient, isAbortError, normalizeOrigin } from '../../internal/api-client.js';
import { followAgentEvents } from '../../internal/agent-event-stream.js';
import { formatCountdown, formatTime } from '../../internal/format.js';
import { KeyRing } from '../../internal/key-ring.js';
import { generateInvitationKeyPair, openAnswers } from '@secure-forms/shared/envelope';
import { directionOf, resolveLocale, useLocale } from '../../internal/localization.js';
import { canRetryRetrieve, describeProblem, problemCode, type PanelErrorCode } from '../../internal/problems.js';
import { styles } from './secure-form-panel.styles.js';

export type { PanelErrorCode } from '../../internal/problems.js';

/** `secure-form-sent`: an invitation was created in this conversation by this panel. */
export interface SecureFormSentDetail {
  invitationId: string;
  formId: string;
}
/** `secure-form-status`: an invitation moved to a new state (or was opened once more). */
export interface SecureFormStatusDetail {
  invitationId: string;
  state: InvitationState;
}
/** `secure-form-submitted`: the visitor submitted; the panel is retrieving the answers. */
export interface SecureFormSubmittedDetail {
  invitationId: string;
  submissionId: string;
}
/** `secure-form-error`: something was refused or failed; the panel shows the reason. */
export interface SecureFormErrorDetail {
  code: PanelErrorCode;
}
/** `secure-form-cleared`: the panel dropped every key and answer because the agent was idle. */
export interface SecureFormClearedDetail {
  reason: 'idle';
}

/** `agent`: send and read forms in one conversation; `history`: a manager reads past responses. */
export type PanelMode = 'agent' | 'history';

/** How long a copied value may stay on the clipboard before the panel clears it. */
export const CLIPBOARD_CLEAR_MS = 30_000;

/** How long one revealed value stays visible before it is hidden again. */
export const REVEAL_MS = 30_000;
/** Off-the-record answers are dropped after this long when the backend gives no deadline. */
const OFF_THE_RECORD_FALLBACK_MS = 5 * 60_000;

interface TrailStep {
  state: InvitationState;
  opens: number;
  openLimit: number;
  at: string;
}

interface RevealableField {
  /** `invitationId:part:fieldId`, unique in the panel. */
  key: string;
  label: string;
  part: RecordPart;
  /** The decrypted answer, or `null` once dropped. Only ever rendered while revealed. */
  value: string | null;
  masked: string;
}

type Retrieval =
  | { status: 'idle' }
  | { status: 'retrieving' }
  | { status: 'failed'; code: PanelErrorCode }
  | {
      status: 'ready';
      fields: RevealableField[];
      /** Epoch ms when off-the-record values are dropped; `null` when none are held. */
      offTheRecordExpiresAt: number | null;
      offTheRecordNote: 'expired' | 'deleted' | null;
    };

interface InvitationEntry {
  id: string;
  formId: string;
  formVersion: number;
  formTitle: LocalizedText;
  state: InvitationState;
  opens: number;
  openLimit: number;
  updatedAt: number;
  submissionId: string | null;
  trail: TrailStep[];
  retrieval: Retrieval;
}

const ENDED_STATES: ReadonlySet<InvitationState> = new Set(['expired', 'cancelled']);
/** States in which an invitation can still be cancelled. */
const CANCELLABLE: ReadonlySet<InvitationState> = new Set(['sent', 'opened']);
const HISTORY_PERMISSION = 'view-responses-in-history';
const SEND_PERMISSION = 'use-secure-form';
/** What counts as the agent being active (reset the idle timer). */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

interface HistoryItem {
  entry: HistoryEntry;
  view: Retrieval;
}

/**
 * The agent's side of Secure Forms: pick a form and send it into the current conversation, follow
 * its state, then retrieve, decrypt and reveal the visitor's answers, one field at a time.
 *
 * The private key of each invitation is made here, is non-extractable, and lives only in this
 * element's memory: it is dropped when the invitation ends (expired, cancelled), the conversation
 * closes, the session or conversation changes (sign-out: set `session` to ''), the agent is idle
 * for `idleTimeoutSeconds`, the element is disconnected, or the page is hidden (`pagehide`).
 * No answer, key or one-time key is ever written to storage, a console, a URL or a host event;
 * a value is in the DOM only while revealed (one at a time, hidden again after 30 s).
 *
 * Host contract. Inputs: `pci-origin` and `conversation-id` (attributes or properties), `session`
 * (property only), `mode` (`agent` | `history`), `permissions` (property, from the login
 * response), `idle-timeout-seconds`, `locale`. Outputs: the events below, whose details hold
 * ids, states and codes only, never a value, key or token.
 *
 * @summary Send a secure form and read its answers.
 *
 * @event {CustomEvent<SecureFormSentDetail>} secure-form-sent - An invitation was sent. Detail: `{ invitationId, formId }`.
 * @event {CustomEvent<SecureFormStatusDetail>} secure-form-status - An invitation changed state. Detail: `{ invitationId, state }`.
 * @event {CustomEvent<SecureFormSubmittedDetail>} secure-form-submitted - The visitor submitted. Detail: `{ invitationId, submissionId }`.
 * @event {CustomEvent<SecureFormErrorDetail>} secure-form-error - Something was refused or failed. Detail: `{ code }`.
 * @event {CustomEvent<SecureFormClearedDetail>} secure-form-cleared - Everything was dropped because the agent was idle. Detail: `{ reason: 'idle' }`.
 *
 * @csspart base - The panel's outer section.
 * @csspart title - The panel heading.
 * @csspart send - The form that picks and sends a secure form.
 * @csspart form-label - The "Form" label.
 * @csspart form-select - The form picker.
 * @csspart send-button - The "Send secure form" button.
 * @csspart catalog-status - "Loading forms" or "no forms" text.
 * @csspart problem - A refusal or failure at panel level: reason and next step.
 * @csspart problem-reason - Why it failed.
 * @csspart problem-next - What to do next.
 * @csspart notice - The "conversation has ended" notice.
 * @csspart invitations - The list of invitations sent in this conversation.
 * @csspart invitation - One invitation.
 * @csspart invitation-title - An invitation's heading (the form title).
 * @csspart trail - An invitation's status history.
 * @csspart trail-step - One status with its time.
 * @csspart trail-time - The time of one status.
 * @csspart retrieval-status - "Retrieving answers" text.
 * @csspart answers - The decrypted answers of one submission.
 * @csspart answers-title - The "Answers" heading.
 * @csspart answer-list - The list of answers.
 * @csspart answer - One answer (label and value); also `answer-off-the-record` for off-the-record ones.
 * @csspart answer-label - An answer's field label.
 * @csspart off-the-record-badge - The "Off the record" marker.
 * @csspart answer-value - An answer's value cell.
 * @csspart answer-text - The masked or revealed value.
 * @csspart answer-deleted - Shown in place of a value that was dropped.
 * @csspart reveal-button - The per-field Reveal/Hide toggle.
 * @csspart countdown - Time left before off-the-record answers are dropped.
 * @csspart off-the-record-note - Why off-the-record answers are not (or no longer) shown.
 * @csspart retrieve-again-button - The "Retrieve again" button.
 * @csspart invitation-actions - An invitation's Cancel and Send again buttons.
 * @csspart cancel-button - Cancels an invitation that is still open.
 * @csspart resend-button - Sends the same form again with a new key pair.
 * @csspart copy-button - Copies one value; the clipboard is cleared after 30 s.
 * @csspart idle-notice - Shown after the panel cleared itself for inactivity (also `notice`).
 * @csspart resume-button - The "Continue" button of the idle notice.
 * @csspart permission-notice - Shown instead of the panel when the operator lacks the permission.
 * @csspart history - The list of responses in history mode.
 * @csspart history-entry - One response in history mode.
 * @csspart history-note - Why a response cannot be viewed.
 * @csspart view-answers-button - Opens one response's on-the-record answers (history mode).
 * @csspart close-answers-button - Drops them again (history mode).
 * @csspart live-region - The visually hidden polite announcer.
 *
 * @cssproperty --secure-form-panel-font-family - Font family.
 * @cssproperty --secure-form-panel-color - Text color.
 * @cssproperty --secure-form-panel-muted-color - Secondary text color.
 * @cssproperty --secure-form-panel-background - Background color.
 * @cssproperty --secure-form-panel-surface - Background of invitations and problem boxes.
 * @cssproperty --secure-form-panel-border-color - Border color of the panel and the picker.
 * @cssproperty --secure-form-panel-accent - Button color.
 * @cssproperty --secure-form-panel-accent-text - Text on accent-colored buttons.
 * @cssproperty --secure-form-panel-danger - Color of refusal reasons.
 * @cssproperty --secure-form-panel-off-the-record-background - Background of the off-the-record badge.
 * @cssproperty --secure-form-panel-off-the-record-color - Text of the off-the-record badge and countdown.
 * @cssproperty --secure-form-panel-focus-ring - Focus outline color.
 * @cssproperty --secure-form-panel-radius - Corner radius.
 * @cssproperty --secure-form-panel-gap - Spacing between sections.
 */
@customElement('secure-form-panel')
@localized()
export class SecureFormPanel extends LitElement {
  static override styles = styles;

  /**
   * The PCI origin that serves the `/v1` API, e.g. `http://127.0.0.1:8443`. A path, query or
   * fragment is ignored; anything that is not an http(s) URL shows a configuration problem.
   * Changing it stops the streams and drops every key and answer.
   */
  @property({ attribute: 'pci-origin' }) pciOrigin = '';

  /**
   * The conversation the agent is in. Forms are sent into it and only its invitations are
   * followed. Changing it stops the streams and drops every key and answer. Empty: the panel
   * stays idle.
   */
  @property({ attribute: 'conversation-id' }) conversationId = '';

  /**
   * The operator's session token, sent only in the `Secure-Forms-Session` header. Property
   * only: never an attribute, never reflected, never logged. Changing it (including clearing it
   * on sign-out) stops the streams and drops every key and answer. Empty: the panel stays idle.
   */
  @property({ attribute: false }) session = '';

  /**
   * `agent` (default): send forms into the conversation and read their answers. `history`: a
   * manager lists the conversation's past responses (`GET /v1/conversations/:cid/history`) and
   * reads their on-the-record answers, each through a key pair made for that one view.
   */
  @property() mode: PanelMode = 'agent';

  /**
   * The operator's permissions, as the login response lists them (`operator.permissions`).
   * When set, the panel makes no request the operator is not allowed: without
   * `view-responses-in-history` the history mode only explains why; without `use-secure-form`
   * the agent mode does. Unset: the backend decides. Property only.
   */
  @property({ attribute: false }) permissions: readonly string[] | undefined = undefined;

  /**
   * After this many seconds without a pointer, key or wheel event in the page, the panel drops
   * every key, answer and one-time key and stops (default 900, as the backend's idle logout).
   * 0 or less turns the timer off.
   */
  @property({ attribute: 'idle-timeout-seconds', type: Number }) idleTimeoutSeconds = 900;

  /**
   * The language of the panel: `en`, `es`, `fr`, `de` or `ar` (right to left), or any tag starting
   * with one (`es-MX`). Unset: the document's `lang`, else the browser's language.
   */
  @property({ reflect: true }) locale: string | undefined = undefined;

  @state() private forms: FormDefinition[] | null = null;
  @state() private catalogFailed = false;
  @state() private selectedFormId = '';
  @state() private sending = false;
  @state() private problem: PanelErrorCode | null = null;
  @state() private conversationClosed = false;
  @state() private announcement = '';
  @state() private revealedKey: string | null = null;
  @state() private idle = false;
  @state() private history: HistoryItem[] | null = null;
  @state() private copyFailed = false;

  readonly #invitations = new Map<string, InvitationEntry>();
  readonly #keys = new KeyRing();
  /** Retrieve OTKs received on the event stream, until spent. Never rendered. */
  readonly #retrieveOtks = new Map<string, string>();
  /** Bumped on every stop: async work from an older generation is discarded. */
  #generation = 0;
  #abort: AbortController | null = null;
  #api: PanelApiClient | null = null;
  #revealTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setInterval> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** What this panel last put on the clipboard, until the clear is done. Never rendered. */
  #copied: { text: string; timer: ReturnType<typeof setTimeout> } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('pageshow', this.#onPageShow);
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, this.#onActivity, { capture: true, passive: true });
    // A re-connected element has no pending property change to start it.
    if (this.hasUpdated) this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('pageshow', this.#onPageShow);
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, this.#onActivity, { capture: true });
    this.#stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) void useLocale(this.#locale());
    if (
      changed.has('session') ||
      changed.has('conversationId') ||
      changed.has('pciOrigin') ||
      changed.has('mode') ||
      changed.has('permissions')
    ) {
      this.#stop();
      this.idle = false;
      this.#start();
    }
    if (changed.has('idleTimeoutSeconds')) this.#armIdle();
  }

  #onActivity = (): void => {
    if (!this.idle) this.#armIdle();
  };

  /** (Re)start the idle timer while the panel holds a session. */
  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.#api || !(this.idleTimeoutSeconds > 0)) return;
    this.#idleTimer = setTimeout(() => {
      this.#stop();
      this.idle = true;
      this.#emit<SecureFormClearedDetail>('secure-form-cleared', { reason: 'idle' });
    }, this.idleTimeoutSeconds * 1000);
  }

  #resume(): void {
    this.idle = false;
    this.#start();
  }

  #allowed(permission: string): boolean {
    return this.permissions === undefined || this.permissions.includes(permission);
  }

  #onPageHide = (): void => {
    this.#stop();
  };

  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.isConnected) this.#start();
  };

  // ---- lifecycle of one (session, conversation) --------------------------------------------

  /** Stop every request and stream; drop every key, OTK, answer and timer. */
  #stop(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = null;
    this.#api = null;
    this.#keys.clear();
    this.#retrieveOtks.clear();
    this.#invitations.clear();
    this.#hide();
    clearInterval(this.#tickTimer);
    this.#tickTimer = undefined;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    void this.#clearClipboard();
    this.history = null;
    this.copyFailed = false;
    this.forms = null;
    this.catalogFailed = false;
    this.sending = false;
    this.problem = null;
    this.conversationClosed = false;
    this.announcement = '';
  }

  #start(): void {
    if (this.#api || this.idle || !this.isConnected || !this.session || !this.conversationId || !this.pciOrigin) return;
    const history = this.mode === 'history';
    // Without the permission, no request at all: render() explains.
    if (!this.#allowed(history ? HISTORY_PERMISSION : SEND_PERMISSION)) return;
    const origin = normalizeOrigin(this.pciOrigin);
    if (!origin) {
      this.#fail('CONFIG_INVALID');
      return;
    }
    const abort = new AbortController();
    const api = new PanelApiClient(origin, this.session, abort.signal);
    const generation = this.#generation;
    this.#abort = abort;
    this.#api = api;
    this.#armIdle();
    void this.#loadCatalog(api, generation, history);
    if (history) {
      void this.#loadHistory(api, generation);
      return;
    }
    void followAgentEvents({
      url: api.url('/agent/events'),
      headers: api.sessionHeaders(),
      signal: abort.signal,
      onEvent: (event) => {
        if (generation === this.#generation) this.#onAgentEvent(event);
      },
      onRefused: (error) => {
        if (generation === this.#generation) this.#fail(problemCode(error));
      },
    });
  }

  /** The catalog labels the answers; in history mode a failure only costs the labels. */
  async #loadCatalog(api: PanelApiClient, generation: number, quiet = false): Promise<void> {
    try {
      const forms = await api.listForms();
      if (generation !== this.#generation) return;
      this.forms = forms;
      if (!forms.some((f) => f.id === this.selectedFormId)) this.selectedFormId = forms[0]?.id ?? '';
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error) || quiet) return;
      this.forms = [];
      this.catalogFailed = true;
      this.#fail(problemCode(error));
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send(this.selectedFormId);
  }

  /** Send `formId` into the conversation with a fresh key pair (also "Send again"). */
  async #send(formId: string): Promise<void> {
    const api = this.#api;
    const generation = this.#generation;
    const form = this.forms?.find((f) => f.id === formId);
    if (!api || !form || this.sending || this.conversationClosed) return;
    this.sending = true;
    this.problem = null;
    try {
      const { privateKey, publicJwk } = await generateInvitationKeyPair();
      const invitation = await api.createInvitation(this.conversationId, { formId: form.id, publicKey: publicJwk });
      if (generation !== this.#generation) return;
      this.#keys.add(invitation.id, privateKey);
      this.#upsertInvitation(invitation, false);
      this.#emit<SecureFormSentDetail>('secure-form-sent', { invitationId: invitation.id, formId: invitation.formId });
      void this.#announce(msg(str`Secure form sent: ${localize(invitation.formTitle, this.#locale())}`));
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.#fail(problemCode(error));
    } finally {
      if (generation === this.#generation) this.sending = false;
    }
  }

  /** Cancel an invitation that is still open: its OTKs stop working and its key is dropped. */
  async #cancel(entry: InvitationEntry): Promise<void> {
    const api = this.#api;
    const generation = this.#generation;
    if (!api || !CANCELLABLE.has(entry.state)) return;
    this.#keys.drop(entry.id);
    this.#retrieveOtks.delete(entry.id);
    try {
      const view = await api.cancelInvitation(entry.id);
      if (generation !== this.#generation) return;
      this.#upsertInvitation(view, true);
      void this.#announce(msg(str`Secure form cancelled: ${localize(entry.formTitle, this.#locale())}`));
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.#fail(problemCode(error));
    }
  }

  // ---- following state ----------------------------------------------------------------------

  #onAgentEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'invitation':
        this.#upsertInvitation(event.invitation, true);
        break;
      case 'submission':
        this.#onSubmission(event.invitationId, event.submissionId, event.retrieveOtk);
        break;
      case 'conversation':
        if (event.conversation.id === this.conversationId && event.conversation.state === 'closed') {
          this.conversationClosed = true;
          this.#keys.clear();
          this.#retrieveOtks.clear();
        }
        break;
      case 'message':
        break;
    }
  }

  #upsertInvitation(view: InvitationView, fromStream: boolean): void {
    if (view.conversationId !== this.conversationId) return;
    const updatedAt = Date.parse(view.updatedAt);
    const step: TrailStep = { state: view.state, opens: view.opens, openLimit: view.openLimit, at: view.updatedAt };
    let entry = this.#invitations.get(view.id);
    const newSteps: TrailStep[] = [];
    if (!entry) {
      entry = {
        id: view.id,
        formId: view.formId,
        formVersion: view.formVersion,
        formTitle: view.formTitle,
        state: view.state,
        opens: view.opens,
        openLimit: view.openLimit,
        updatedAt,
        submissionId: view.submissionId,
        trail: [{ state: 'sent', opens: 0, openLimit: view.openLimit, at: view.sentAt }],
        retrieval: { status: 'idle' },
      };
      this.#invitations.set(view.id, entry);
      if (fromStream) newSteps.push(entry.trail[0]!);
      if (view.state !== 'sent') {
        entry.trail.push(step);
        newSteps.push(step);
      }
    } else {
      if (updatedAt < entry.updatedAt) return; // an older view arriving late
      if (view.state !== entry.state || view.opens !== entry.opens) {
        entry.trail.push(step);
        newSteps.push(step);
      }
      entry.state = view.state;
      entry.opens = view.opens;
      entry.openLimit = view.openLimit;
      entry.updatedAt = updatedAt;
      entry.submissionId = view.submissionId ?? entry.submissionId;
    }
    if (ENDED_STATES.has(entry.state)) {
      this.#keys.drop(entry.id);
      this.#retrieveOtks.delete(entry.id);
    }
    for (const s of newSteps) {
      this.#emit<SecureFormStatusDetail>('secure-form-status', { invitationId: entry.id, state: s.state });
    }
    this.requestUpdate();
  }

  #onSubmission(invitationId: string, submissionId: string, retrieveOtk: string): void {
    const entry = this.#invitations.get(invitationId);
    if (!entry) return; // another conversation's invitation
    if (entry.retrieval.status === 'ready' || entry.retrieval.status === 'retrieving') return;
    entry.submissionId = submissionId;
    this.#retrieveOtks.set(invitationId, retrieveOtk);
    this.#emit<SecureFormSubmittedDetail>('secure-form-submitted', { invitationId, submissionId });
    void this.#announce(msg('Secure form submitted'));
    void this.#retrieve(entry);
  }

  // ---- retrieving and opening ---------------------------------------------------------------

  async #retrieve(entry: InvitationEntry): Promise<void> {
    const api = this.#api;
    const generation = this.#generation;
    const submissionId = entry.submissionId;
    if (!api || !submissionId) return;
    const key = this.#keys.get(entry.id);
    if (!key) {
      const code: PanelErrorCode = this.conversationClosed ? 'CONVERSATION_CLOSED' : 'KEY_NOT_HERE';
      this.#retrieveOtks.delete(entry.id);
      this.#setRetrieval(entry, { status: 'failed', code });
      this.#emitError(code);
      return;
    }
    this.#setRetrieval(entry, { status: 'retrieving' });
    try {
      // A retrieve OTK is spent by one attempt, whatever its outcome.
      let otk = this.#retrieveOtks.get(entry.id);
      this.#retrieveOtks.delete(entry.id);
      if (!otk) otk = await api.freshRetrieveOtk(submissionId);
      if (generation !== this.#generation) return;
      const response = await api.retrieve(submissionId, otk);
      if (generation !== this.#generation) return;
      const ready = await this.#open(entry, response, key);
      if (generation !== this.#generation) return;
      this.#setRetrieval(entry, ready);
      void this.#announce(msg('Answers ready'));
      this.#tick();
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      const code = problemCode(error);
      this.#setRetrieval(entry, { status: 'failed', code });
      this.#emitError(code);
    }
  }

  async #open(
    entry: InvitationEntry,
    response: RetrieveResponse,
    key: CryptoKey,
  ): Promise<Extract<Retrieval, { status: 'ready' }>> {
    if (response.invitationId !== entry.id || response.submissionId !== entry.submissionId) {
      throw new EnvelopeError('the response belongs to another invitation');
    }
    // Bind to what this panel sent, not to what the response claims.
    const binding = { invitationId: entry.id, siteId: response.siteId, formRef: formRef({ id: entry.formId, version: entry.formVersion }) };
    const form = this.forms?.find((f) => f.id === entry.formId);
    const fields: RevealableField[] = [];
    if (response.onTheRecord) {
      const answers = await openAnswers(response.onTheRecord, key, { ...binding, part: 'on-the-record' });
      fields.push(...this.#toFields(entry.id, 'on-the-record', answers, form));
    }
    let offTheRecordExpiresAt: number | null = null;
    if (response.offTheRecord && response.offTheRecordState === 'available') {
      const answers = await openAnswers(response.offTheRecord, key, { ...binding, part: 'off-the-record' });
      const otr = this.#toFields(entry.id, 'off-the-record', answers, form);
      fields.push(...otr);
      if (otr.length > 0) {
        const parsed = response.offTheRecordExpiresAt ? Date.parse(response.offTheRecordExpiresAt) : NaN;
        offTheRecordExpiresAt = Number.isNaN(parsed) ? Date.now() + OFF_THE_RECORD_FALLBACK_MS : parsed;
      }
    }
    return {
      status: 'ready',
      fields: sortFields(fields, form),
      offTheRecordExpiresAt,
      offTheRecordNote: response.offTheRecordState === 'expired' ? 'expired' : null,
    };
  }

  #toFields(invitationId: string, part: RecordPart, answers: Answers, form: FormDefinition | undefined): RevealableField[] {
    const locale = this.#locale();
    return Object.entries(answers).map(([fieldId, value]) => {
      const field = form?.fields.find((f) => f.id === fieldId);
      const type: FieldType | undefined = field?.type;
      return {
        key: `${invitationId}:${part}:${fieldId}`,
        label: field ? localize(field.label, locale) : fieldId,
        part,
        value,
        masked: type === 'card-number' ? maskCardNumber(value) : maskSecret(value),
      };
    });
  }

  // ---- the manager's view of history ---------------------------------------------------------

  async #loadHistory(api: PanelApiClient, generation: number): Promise<void> {
    try {
      const responses = await api.listHistory(this.conversationId);
      if (generation !== this.#generation) return;
      this.history = responses.map((entry) => ({ entry, view: { status: 'idle' } }));
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.history = [];
      this.#fail(problemCode(error));
    }
  }

  /** One view, one key pair: made here, used once to open, then dropped with this scope. */
  async #viewHistory(item: HistoryItem): Promise<void> {
    const api = this.#api;
    const generation = this.#generation;
    if (!api || item.view.status === 'retrieving') return;
    const { entry } = item;
    this.#setView(item, { status: 'retrieving' });
    try {
      const { privateKey, publicJwk } = await generateInvitationKeyPair();
      const response = await api.historyView(entry.submissionId, publicJwk);
      if (generation !== this.#generation) return;
      if (response.submissionId !== entry.submissionId || response.invitationId !== entry.invitationId) {
        throw new EnvelopeError('the response belongs to another submission');
      }
      const answers = await openAnswers(response.onTheRecord, privateKey, {
        invitationId: entry.invitationId,
        siteId: response.siteId,
        formRef: entry.formRef,
        part: 'on-the-record',
      });
      if (generation !== this.#generation) return;
      const form = this.forms?.find((f) => `${f.id}@${f.version}` === entry.formRef);
      const fields = sortFields(this.#toFields(`h-${entry.submissionId}`, 'on-the-record', answers, form), form);
      this.#setView(item, { status: 'ready', fields, offTheRecordExpiresAt: null, offTheRecordNote: null });
      void this.#announce(msg('Answers ready'));
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      const code = problemCode(error);
      this.#setView(item, { status: 'failed', code });
      this.#emitError(code);
    }
  }

  /** Drop one history view's answers from memory and the DOM. */
  #closeHistory(item: HistoryItem): void {
    if (this.revealedKey?.startsWith(`h-${item.entry.submissionId}:`)) this.#hide();
    this.#setView(item, { status: 'idle' });
  }

  #setView(item: HistoryItem, view: Retrieval): void {
    item.view = view;
    this.requestUpdate();
  }

  #setRetrieval(entry: InvitationEntry, retrieval: Retrieval): void {
    entry.retrieval = retrieval;
    this.requestUpdate();
  }

  // ---- reveal and off-the-record expiry -----------------------------------------------------

  #toggle(key: string): void {
    if (this.revealedKey === key) {
      this.#hide();
      return;
    }
    this.#hide();
    this.revealedKey = key;
    this.#revealTimer = setTimeout(() => this.#hide(), REVEAL_MS);
  }

  /**
   * Copy one value. After 30 s the clipboard is cleared, but only if it still holds what this
   * panel wrote (the agent may have copied something else since); where the browser refuses to
   * let the panel read the clipboard, it is left alone.
   */
  async #copy(field: RevealableField): Promise<void> {
    const text = field.value;
    if (text === null) return;
    this.copyFailed = false;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.copyFailed = true;
      void this.#announce(msg('The value could not be copied. Reveal it and copy it by hand.'));
      return;
    }
    if (this.#copied) clearTimeout(this.#copied.timer);
    this.#copied = { text, timer: setTimeout(() => void this.#clearClipboard(), CLIPBOARD_CLEAR_MS) };
    void this.#announce(msg('Copied; clipboard clears in 30 seconds'));
  }

  async #clearClipboard(): Promise<void> {
    const copied = this.#copied;
    if (!copied) return;
    this.#copied = null;
    clearTimeout(copied.timer);
    try {
      if ((await navigator.clipboard.readText()) === copied.text) await navigator.clipboard.writeText('');
    } catch {
      // Reading (or writing) the clipboard was refused: nothing more the page can do.
    }
  }

  #hide(): void {
    clearTimeout(this.#revealTimer);
    this.#revealTimer = undefined;
    this.revealedKey = null;
  }

  /** Drop off-the-record values whose time is up; keep a 1 s tick while any countdown runs. */
  #tick = (): void => {
    const now = Date.now();
    let pending = false;
    for (const entry of this.#invitations.values()) {
      const r = entry.retrieval;
      if (r.status !== 'ready' || r.offTheRecordExpiresAt === null) continue;
      if (r.offTheRecordExpiresAt > now) {
        pending = true;
        continue;
      }
      for (const field of r.fields) {
        if (field.part !== 'off-the-record') continue;
        if (this.revealedKey === field.key) this.#hide();
        field.value = null;
        field.masked = '';
      }
      r.offTheRecordExpiresAt = null;
      r.offTheRecordNote = 'deleted';
    }
    if (pending && this.#tickTimer === undefined) this.#tickTimer = setInterval(this.#tick, 1000);
    if (!pending && this.#tickTimer !== undefined) {
      clearInterval(this.#tickTimer);
      this.#tickTimer = undefined;
    }
    this.requestUpdate();
  };

  // ---- host events, problems, announcements -------------------------------------------------

  #emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  #emitError(code: PanelErrorCode): void {
    this.#emit<SecureFormErrorDetail>('secure-form-error', { code });
  }

  #fail(code: PanelErrorCode): void {
    this.problem = code;
    this.#emitError(code);
  }

  async #announce(text: string): Promise<void> {
    // Clear first so that the same text twice is announced twice.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = text;
  }

  /** The supported locale: the `locale` attribute, else the document's `lang`, else the browser's. */
  #locale(): string {
    return resolveLocale(this.locale || document.documentElement.lang || navigator.language);
  }

  // ---- rendering ----------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const locale = this.#locale();
    const history = this.mode === 'history';
    return html`
      <section part="base" class="base" aria-labelledby="title" lang=${locale} dir=${directionOf(locale)}>
        <h3 part="title" id="title">${history ? msg('Secure form responses') : msg('Secure forms')}</h3>
        ${this.idle
          ? html`<div part="notice idle-notice" class="notice">
              <p>${msg('Secure forms were cleared from this page because you were inactive.')}</p>
              <button part="resume-button" type="button" @click=${this.#resume}>${msg('Continue')}</button>
            </div>`
          : !this.#allowed(history ? HISTORY_PERMISSION : SEND_PERMISSION)
            ? html`<div part="notice permission-notice" class="notice">
                <p>
                  ${history
                    ? msg('You do not have permission to view secure form responses in conversation history.')
                    : msg('You do not have permission to use secure forms.')}
                </p>
                <p>
                  ${history
                    ? msg('Ask an administrator for the "view secure form responses in conversation history" permission.')
                    : msg('Ask an administrator for the "use secure form" permission.')}
                </p>
              </div>`
            : history
              ? this.#renderHistory()
              : this.#renderAgent()}
        <div part="live-region" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.announcement}
        </div>
      </section>
    `;
  }

  #renderAgent(): TemplateResult {
    const invitations = [...this.#invitations.values()].reverse();
    return html`
        ${this.#renderSend()}
        ${this.problem ? this.#renderProblem(this.problem, 'problem') : nothing}
        ${this.conversationClosed
          ? html`<p part="notice" class="muted">
              ${msg('This conversation has ended. Secure forms can no longer be sent or read in it.')}
            </p>`
          : nothing}
        ${invitations.length > 0
          ? html`<ol part="invitations" class="invitations" aria-label=${msg('Secure forms sent')}>
              ${invitations.map((entry) => this.#renderInvitation(entry))}
            </ol>`
          : nothing}
    `;
  }

  #renderHistory(): TemplateResult {
    const locale = this.#locale();
    const items = this.history;
    if (!this.session || !this.conversationId) {
      return html`<p part="catalog-status" class="muted">${msg('Open a conversation to see its secure form responses.')}</p>`;
    }
    return html`
      ${this.problem ? this.#renderProblem(this.problem, 'problem') : nothing}
      ${items === null
        ? html`<p part="catalog-status" class="muted">${msg('Loading responses…')}</p>`
        : items.length === 0
          ? this.problem
            ? nothing
            : html`<p part="catalog-status" class="muted">${msg('No secure form responses in this conversation.')}</p>`
          : html`<ol part="history" class="invitations" aria-label=${msg('Secure form responses')}>
              ${items.map((item) => {
                const { entry, view } = item;
                const title = localize(entry.formTitle, locale);
                return html`<li part="history-entry" class="invitation">
                  <h4 part="invitation-title">${title}</h4>
                  <p class="muted">
                    ${msg('Submitted')}
                    <time part="trail-time" datetime=${entry.submittedAt}>${formatTime(entry.submittedAt, locale)}</time>
                  </p>
                  ${!entry.viewable
                    ? html`<p part="history-note">
                        ${msg('This response cannot be viewed: history viewing was off when the form was sent.')}
                      </p>`
                    : view.status === 'ready'
                      ? html`${this.#renderAnswers(entry.submissionId, view)}
                          <button part="close-answers-button" type="button" @click=${() => this.#closeHistory(item)}>
                            ${msg(str`Hide answers to ${title}`)}
                          </button>`
                      : view.status === 'retrieving'
                        ? html`<p part="retrieval-status" class="muted">${msg('Retrieving answers…')}</p>`
                        : html`${view.status === 'failed' ? this.#renderProblem(view.code, 'problem') : nothing}
                            <button part="view-answers-button" type="button" @click=${() => void this.#viewHistory(item)}>
                              ${msg(str`View answers to ${title}`)}
                            </button>`}
                </li>`;
              })}
            </ol>`}
    `;
  }

  #renderSend(): TemplateResult {
    const forms = this.forms;
    if (!this.session || !this.conversationId) {
      return html`<p part="catalog-status" class="muted">${msg('Open a conversation to send a secure form.')}</p>`;
    }
    if (forms === null) {
      return html`<p part="catalog-status" class="muted">${msg('Loading forms…')}</p>`;
    }
    if (forms.length === 0) {
      return this.catalogFailed
        ? html``
        : html`<p part="catalog-status" class="muted">${msg('No secure forms are available to send.')}</p>`;
    }
    const locale = this.#locale();
    const unavailable = this.sending || this.conversationClosed;
    return html`
      <form part="send" class="send" @submit=${this.#onSubmit}>
        <label part="form-label" for="form-select">${msg('Form')}</label>
        <select
          part="form-select"
          id="form-select"
          .value=${this.selectedFormId}
          ?disabled=${this.conversationClosed}
          @change=${(e: Event) => (this.selectedFormId = (e.target as HTMLSelectElement).value)}
        >
          ${forms.map(
            (f) => html`<option value=${f.id} ?selected=${f.id === this.selectedFormId}>${localize(f.title, locale)}</option>`,
          )}
        </select>
        <button part="send-button" class="primary" type="submit" aria-disabled=${unavailable ? 'true' : 'false'}>
          ${msg('Send secure form')}
        </button>
      </form>
    `;
  }

  #renderProblem(code: PanelErrorCode, part: string, retry?: () => void): TemplateResult {
    const { reason, next } = describeProblem(code);
    return html`
      <div part=${part} class="problem" role="alert">
        <p part="problem-reason" class="reason">${reason}</p>
        <p part="problem-next">${next}</p>
        ${retry
          ? html`<button part="retrieve-again-button" type="button" @click=${retry}>${msg('Retrieve again')}</button>`
          : nothing}
      </div>
    `;
  }

  #renderInvitation(entry: InvitationEntry): TemplateResult {
    const locale = this.#locale();
    const headingId = `inv-${entry.id}`;
    return html`
      <li part="invitation" class="invitation">
        <h4 part="invitation-title" id=${headingId}>${localize(entry.formTitle, locale)}</h4>
        <ol part="trail" class="trail" aria-label=${msg('Status')}>
          ${entry.trail.map(
            (step) => html`<li part="trail-step">
              ${this.#stepLabel(step)}
              <time part="trail-time" class="muted" datetime=${step.at}>${formatTime(step.at, locale)}</time>
            </li>`,
          )}
        </ol>
        ${this.#renderRetrieval(entry)}
        ${this.conversationClosed
          ? nothing
          : html`<div part="invitation-actions" class="actions">
              ${CANCELLABLE.has(entry.state)
                ? html`<button part="cancel-button" type="button" @click=${() => void this.#cancel(entry)}>
                    ${msg(str`Cancel ${localize(entry.formTitle, locale)}`)}
                  </button>`
                : nothing}
              <button
                part="resend-button"
                type="button"
                aria-disabled=${this.sending ? 'true' : 'false'}
                @click=${() => void this.#send(entry.formId)}
              >
                ${msg(str`Send ${localize(entry.formTitle, locale)} again`)}
              </button>
            </div>`}
      </li>
    `;
  }

  #stepLabel(step: TrailStep): string {
    switch (step.state) {
      case 'sent':
        return msg('Sent');
      case 'opened':
        return msg(str`Opened ${step.opens} of ${step.openLimit}`);
      case 'submitted':
        return msg('Submitted');
      case 'viewed':
        return msg('Viewed');
      case 'expired':
        return msg('Expired');
      case 'cancelled':
        return msg('Cancelled');
    }
  }

  #renderRetrieval(entry: InvitationEntry): TemplateResult | typeof nothing {
    const r = entry.retrieval;
    switch (r.status) {
      case 'idle':
        return nothing;
      case 'retrieving':
        return html`<p part="retrieval-status" class="muted">${msg('Retrieving answers…')}</p>`;
      case 'failed':
        return this.#renderProblem(
          r.code,
          'problem',
          canRetryRetrieve(r.code) && entry.submissionId && !this.conversationClosed
            ? () => void this.#retrieve(entry)
            : undefined,
        );
      case 'ready':
        return this.#renderAnswers(entry.id, r);
    }
  }

  #renderAnswers(scope: string, r: Extract<Retrieval, { status: 'ready' }>): TemplateResult {
    const headingId = `answers-${scope}`;
    const left = r.offTheRecordExpiresAt === null ? null : r.offTheRecordExpiresAt - Date.now();
    return html`
      <section part="answers" aria-labelledby=${headingId}>
        <h5 part="answers-title" id=${headingId}>${msg('Answers')}</h5>
        ${r.fields.length > 0
          ? html`<dl part="answer-list" class="answer-list">
              ${r.fields.map((field) => this.#renderField(field))}
            </dl>`
          : nothing}
        ${left !== null
          ? html`<p part="countdown" class="countdown">
              ${msg(str`Off-the-record answers are deleted from this page in ${formatCountdown(left)}.`)}
            </p>`
          : nothing}
        ${r.offTheRecordNote === 'expired'
          ? html`<p part="off-the-record-note">
              ${describeProblem('OFF_THE_RECORD_EXPIRED').reason} ${describeProblem('OFF_THE_RECORD_EXPIRED').next}
            </p>`
          : r.offTheRecordNote === 'deleted'
            ? html`<p part="off-the-record-note">
                ${msg('Off-the-record answers were deleted from this page when their time ran out.')}
              </p>`
            : nothing}
      </section>
    `;
  }

  #renderField(field: RevealableField): TemplateResult {
    const offTheRecord = field.part === 'off-the-record';
    const revealed = this.revealedKey === field.key && field.value !== null;
    return html`
      <div part=${offTheRecord ? 'answer answer-off-the-record' : 'answer'} class="answer">
        <dt part="answer-label">
          ${field.label}${offTheRecord
            ? html`<span part="off-the-record-badge" class="badge">${msg('Off the record')}</span>`
            : nothing}
        </dt>
        <dd part="answer-value">
          ${field.value === null
            ? html`<span part="answer-deleted" class="muted">${msg('Deleted')}</span>`
            : html`<span part="answer-text" class="value">${revealed ? field.value : field.masked}</span>
                <button
                  part="reveal-button"
                  type="button"
                  aria-pressed=${revealed ? 'true' : 'false'}
                  @click=${() => this.#toggle(field.key)}
                >
                  ${revealed ? msg(str`Hide ${field.label}`) : msg(str`Reveal ${field.label}`)}
                </button>
                <button part="copy-button" type="button" @click=${() => void this.#copy(field)}>
                  ${msg(str`Copy ${field.label}`)}
                </button>`}
        </dd>
      </div>
    `;
  }
}

/** Order answers as the form lists its fields. */
function sortFields(fields: RevealableField[], form: FormDefinition | undefined): RevealableField[] {
  if (!form) return fields;
  const order = new Map(form.fields.map((f, i) => [f.id, i]));
  const rank = (f: RevealableField) => order.get(f.key.split(':')[2] ?? '') ?? order.size;
  return fields.sort((a, b) => rank(a) - rank(b));
}
