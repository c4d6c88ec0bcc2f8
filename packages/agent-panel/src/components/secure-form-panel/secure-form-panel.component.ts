import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import {
  EnvelopeError,
  formRef,
  localize,
  maskCardNumber,
  maskSecret,
  type AgentEvent,
  type FormSummary,
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
import { generateInvitationKeyPair, openAnswers } from '@secure-forms/shared/envelope';
import { directionOf, resolveLocale, useLocale } from '../../internal/localization.js';
import { answersOfPart } from '../../internal/record-parts.js';
import { askUse, canRetryRetrieve, describeProblem, noUse, problemCode, type PanelErrorCode } from '../../internal/problems.js';
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
/** The code that explains each way off-the-record answers can be missing from a retrieve. */
const OFF_THE_RECORD = { expired: 'OFF_THE_RECORD_EXPIRED', 'handed-out': 'OFF_THE_RECORD_HANDED_OUT' } as const;

interface TrailStep {
  state: InvitationState;
  opens: number;
  openLimit: number;
  at: string;
}

interface RevealableField {
  /** `scope:part:fieldId`, unique in the panel. */
  key: string;
  label: string;
  part: RecordPart;
  /** The decrypted answer, or `null` once dropped. Only ever rendered while revealed. */
  value: string | null;
  masked: string;
}

interface Answered {
  status: 'ready';
  fields: RevealableField[];
  /** Epoch ms when off-the-record values are dropped; `null` when none are held. */
  offTheRecordExpiresAt: number | null;
  offTheRecordNote: 'expired' | 'handed-out' | 'deleted' | null;
  /** Answers were left out because the form does not put them in the part they came in. */
  leftOut: boolean;
}

type Retrieval = { status: 'idle' } | { status: 'retrieving' } | { status: 'failed'; code: PanelErrorCode } | Answered;

interface InvitationEntry {
  id: string;
  /** `false`: sent by another agent, known from the transcript; shown with the backend's refusal only. */
  mine: boolean;
  formId: string;
  formVersion: number;
  formTitle: LocalizedText;
  state: InvitationState;
  opens: number;
  updatedAt: number;
  submissionId: string | null;
  trail: TrailStep[];
  retrieval: Retrieval;
}

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
 * closes or is transferred to another agent, the session or conversation changes (sign-out: set
 * `session` to ''), the agent is idle for `idleTimeoutSeconds`, the element is disconnected, or the
 * page is hidden (`pagehide`). No answer, key or one-time key is ever written to storage, a
 * console, a URL or a host event; a value is in the DOM only while revealed (one at a time,
 * hidden again after 30 s), and no answer at all, not even masked, is in the DOM while the panel
 * is hidden (`hidden`) or not rendered (`display: none` on it or an ancestor).
 *
 * After a transfer, the original sender's panel drops the keys and answers of the forms it sent
 * and says why (`TRANSFERRED`); the new agent's panel lists the forms another agent sent in the
 * conversation with the backend's refusal (`NOT_SENDER`).
 *
 * Host contract. Inputs: `pci-origin` and `conversation-id` (attributes or properties), `session`
 * (property only), `operator-id` (attribute or property), `mode` (`agent` | `history`),
 * `permissions` (property, from the login response), `idle-timeout-seconds`, `locale`, `hidden`.
 * Outputs: the events below, whose details hold ids, states and codes only, never a value, key
 * or token.
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
 * @csspart invitation - One invitation; also `invitation-other` for one another agent sent.
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
 * @csspart left-out-note - Says some answers were left out because the form does not ask for them in that part.
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
export class SecureFormPanel extends LitElement {
  static override styles = styles;

  /**
   * Reactive properties, declared without decorators: the decorator helpers cost about half a
   * kilobyte (min+gzip) of the panel's budget. Attribute names and options are as documented below.
   */
  static override properties: PropertyDeclarations = {
    pciOrigin: { attribute: 'pci-origin' },
    conversationId: { attribute: 'conversation-id' },
    session: { attribute: false },
    operatorId: { attribute: 'operator-id' },
    mode: {},
    permissions: { attribute: false },
    idleTimeoutSeconds: { attribute: 'idle-timeout-seconds', type: Number },
    locale: { reflect: true },
    hidden: { type: Boolean, reflect: true },
    forms: { state: true, attribute: false },
    catalogFailed: { state: true, attribute: false },
    selectedFormId: { state: true, attribute: false },
    sending: { state: true, attribute: false },
    problem: { state: true, attribute: false },
    conversationClosed: { state: true, attribute: false },
    transferred: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    revealedKey: { state: true, attribute: false },
    idle: { state: true, attribute: false },
    history: { state: true, attribute: false },
    rendered: { state: true, attribute: false },
  };

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  /**
   * The PCI origin that serves the `/v1` API, e.g. `http://127.0.0.1:8443`. A path, query or
   * fragment is ignored; anything that is not an http(s) URL shows a configuration problem.
   * Changing it stops the streams and drops every key and answer.
   */
  pciOrigin = '';

  /**
   * The conversation the agent is in. Forms are sent into it and only its invitations are
   * followed. Changing it stops the streams and drops every key and answer. Empty: the panel
   * stays idle.
   */
  conversationId = '';

  /**
   * The operator's session token, sent only in the `Secure-Forms-Session` header. Property
   * only: never an attribute, never reflected, never logged. Changing it (including clearing it
   * on sign-out) stops the streams and drops every key and answer. Empty: the panel stays idle.
   */
  session = '';

  /**
   * The signed-in operator's id (`operator.id` in the login response). With it, the panel notices
   * at once when the conversation is transferred to another agent: it drops the keys and answers
   * of the forms it sent and shows why. Without it, it notices when the backend refuses to hand
   * over answers (`NOT_ASSIGNED`).
   */
  operatorId = '';

  /**
   * `agent` (default): send forms into the conversation and read their answers. `history`: a
   * manager lists the conversation's past responses (`GET /v1/conversations/:cid/history`) and
   * reads their on-the-record answers, each through a key pair made for that one view.
   */
  mode: PanelMode = 'agent';

  /**
   * The operator's permissions, as the login response lists them (`operator.permissions`).
   * When set, the panel makes no request the operator is not allowed: without
   * `view-responses-in-history` the history mode only explains why; without `use-secure-form`
   * the agent mode does. Unset: the backend decides. Property only.
   */
  permissions: readonly string[] | undefined = undefined;

  /**
   * After this many seconds without a pointer, key or wheel event in the page, the panel drops
   * every key, answer and one-time key and stops (default 900, as the backend's idle logout).
   * 0 or less turns the timer off.
   */
  idleTimeoutSeconds = 900;

  /**
   * The language of the panel: `en`, `es`, `fr`, `de` or `ar` (right to left), or any tag starting
   * with one (`es-MX`). Unset: the document's `lang`, else the browser's language.
   */
  locale: string | undefined = undefined;

  /**
   * The standard `hidden` attribute and property. While it is set (or while the panel is not
   * rendered at all, e.g. `display: none` on an ancestor), the panel renders nothing: no answer,
   * masked or revealed, is in the DOM. Keys, answers and timers stay in memory, so the answers come
   * back masked when the panel is shown again.
   */
  override hidden = false;

  private forms: FormSummary[] | null = null;
  private catalogFailed = false;
  private selectedFormId = '';
  private sending = false;
  private problem: PanelErrorCode | null = null;
  private conversationClosed = false;
  /** The conversation is now assigned to another agent than this panel's operator. */
  private transferred = false;
  private announcement = '';
  private revealedKey: string | null = null;
  private idle = false;
  private history: HistoryItem[] | null = null;
  /** `false` while the host box has no size (`display: none` on the panel or an ancestor). */
  private rendered = true;

  readonly #invitations = new Map<string, InvitationEntry>();
  /** One non-extractable private key per invitation id, in memory only; never exported or stored. */
  readonly #keys = new Map<string, CryptoKey>();
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
  /**
   * Notices `display: none` on the panel or an ancestor (its box shrinks to nothing). The change
   * is applied in the next frame: re-rendering inside the observer's own frame would resize the
   * host again there ("ResizeObserver loop completed with undelivered notifications").
   */
  readonly #resize = new ResizeObserver(([entry]) => {
    const { width, height } = entry!.contentRect;
    requestAnimationFrame(() => (this.rendered = width > 0 || height > 0));
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen(addEventListener);
    this.#resize.observe(this);
    // A re-connected element has no pending property change to start it.
    if (this.hasUpdated) this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(removeEventListener);
    this.#resize.disconnect();
    this.#stop();
  }

  #listen(method: typeof addEventListener): void {
    method('pagehide', this.#onPageHide);
    method('pageshow', this.#onPageShow as EventListener);
    for (const type of ACTIVITY_EVENTS) method(type, this.#onActivity, { capture: true, passive: true });
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
    // Leaving the screen hides the revealed value; answers are not rendered while closed.
    if (!this.#visible()) this.#hide();
  }

  /** Whether the panel may render answers: not `hidden`, and laid out with a size. */
  #visible(): boolean {
    return !this.hidden && this.rendered;
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
    this.#abort = this.#api = null;
    this.#forget();
    this.#invitations.clear();
    clearInterval(this.#tickTimer);
    this.#tickTimer = undefined;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    void this.#clearClipboard();
    this.history = this.forms = this.problem = null;
    this.catalogFailed = this.sending = this.conversationClosed = this.transferred = false;
    this.announcement = '';
  }

  /** Drop every key and retrieve OTK, and hide the revealed value. */
  #forget(): void {
    this.#keys.clear();
    this.#retrieveOtks.clear();
    this.#hide();
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
    void this.#loadOthers(api, generation);
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
  async #loadCatalog(api: PanelApiClient, generation: number, quiet: boolean): Promise<void> {
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

  /**
   * The forms in the transcript that this panel did not send in this page. The backend tells
   * whose they are: this operator's (sent from another tab or before a reload: listed, but their
   * key is not here), or another agent's, refused with `NOT_SENDER` (listed with that reason). A
   * transcript this operator may not read (not assigned) lists nothing.
   */
  async #loadOthers(api: PanelApiClient, generation: number): Promise<void> {
    try {
      for (const m of await api.listMessages(this.conversationId)) {
        if (m.kind !== 'invitation' || this.#invitations.has(m.invitationId)) continue;
        try {
          const view = await api.getInvitation(m.invitationId);
          if (generation !== this.#generation || this.#invitations.has(view.id)) continue;
          this.#upsertInvitation(view, false);
          const entry = this.#invitations.get(view.id);
          if (entry?.submissionId) this.#setRetrieval(entry, { status: 'failed', code: 'KEY_NOT_HERE' });
        } catch (error) {
          if (generation !== this.#generation || problemCode(error) !== 'NOT_SENDER' || this.#invitations.has(m.invitationId)) {
            continue;
          }
          this.#invitations.set(m.invitationId, {
            id: m.invitationId,
            mine: false,
            formId: '',
            formVersion: 0,
            formTitle: m.formTitle,
            state: 'sent',
            opens: 0,
            updatedAt: 0,
            submissionId: null,
            trail: [],
            retrieval: { status: 'failed', code: 'NOT_SENDER' },
          });
          this.requestUpdate();
        }
      }
    } catch {
      // Not allowed to read the transcript (e.g. not assigned), or it failed: nothing to list.
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
    if (!api || !form || this.sending || this.conversationClosed || this.transferred) return;
    this.sending = true;
    this.problem = null;
    try {
      const { privateKey, publicJwk } = await generateInvitationKeyPair();
      const invitation = await api.createInvitation(this.conversationId, { formId: form.id, publicKey: publicJwk });
      if (generation !== this.#generation) return;
      this.#keys.set(invitation.id, privateKey);
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
    this.#drop(entry.id);
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

  /** Forget one invitation's key and retrieve OTK (it ended). */
  #drop(invitationId: string): void {
    this.#keys.delete(invitationId);
    this.#retrieveOtks.delete(invitationId);
  }

  // ---- following state ----------------------------------------------------------------------

  #onAgentEvent(event: AgentEvent): void {
    if (event.type === 'invitation') this.#upsertInvitation(event.invitation, true);
    if (event.type === 'submission') this.#onSubmission(event.invitationId, event.submissionId, event.retrieveOtk);
    if (event.type !== 'conversation' || event.conversation.id !== this.conversationId) return;
    const { state, assignedAgentId } = event.conversation;
    if (state === 'closed') {
      this.conversationClosed = true;
      this.#forget();
    } else if (this.operatorId && assignedAgentId && assignedAgentId !== this.operatorId) {
      this.#onTransferred();
    } else {
      // Assigned (back) to this operator, or unknown: list what others sent before.
      if (this.transferred && this.problem === 'TRANSFERRED') this.problem = null;
      this.transferred = false;
      if (this.#api) void this.#loadOthers(this.#api, this.#generation);
    }
  }

  /**
   * The conversation passed to another agent: the backend no longer hands this operator the
   * answers of the forms it sent (`NOT_ASSIGNED`) and cancels those still open. Drop every key,
   * OTK and answer, say why on each of them, and stop offering to send.
   */
  #onTransferred(): void {
    if (this.transferred) return;
    this.transferred = true;
    this.#forget();
    for (const entry of this.#invitations.values()) {
      if (entry.mine) entry.retrieval = { status: 'failed', code: 'TRANSFERRED' };
    }
    this.#fail('TRANSFERRED');
  }

  #upsertInvitation(view: InvitationView, fromStream: boolean): void {
    if (view.conversationId !== this.conversationId) return;
    const updatedAt = Date.parse(view.updatedAt);
    const step: TrailStep = { state: view.state, opens: view.opens, openLimit: view.openLimit, at: view.updatedAt };
    let entry = this.#invitations.get(view.id);
    const newSteps: TrailStep[] = [];
    if (!entry || !entry.mine) {
      const sent: TrailStep = { state: 'sent', opens: 0, openLimit: view.openLimit, at: view.sentAt };
      entry = {
        id: view.id,
        mine: true,
        formId: view.formId,
        formVersion: view.formVersion,
        formTitle: view.formTitle,
        state: view.state,
        opens: view.opens,
        updatedAt,
        submissionId: view.submissionId,
        trail: [sent],
        retrieval: this.transferred ? { status: 'failed', code: 'TRANSFERRED' } : { status: 'idle' },
      };
      this.#invitations.set(view.id, entry);
      if (fromStream) newSteps.push(sent);
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
      entry.updatedAt = updatedAt;
      entry.submissionId = view.submissionId ?? entry.submissionId;
    }
    if (entry.state === 'expired' || entry.state === 'cancelled') this.#drop(entry.id);
    for (const s of newSteps) {
      this.#emit<SecureFormStatusDetail>('secure-form-status', { invitationId: entry.id, state: s.state });
    }
    this.requestUpdate();
  }

  #onSubmission(invitationId: string, submissionId: string, retrieveOtk: string): void {
    const entry = this.#invitations.get(invitationId);
    if (!entry?.mine) return; // another conversation's invitation
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
    if (!key) return this.#failRetrieval(entry, this.#noKey());
    this.#setRetrieval(entry, { status: 'retrieving' });
    try {
      // A retrieve OTK is spent by one attempt, whatever its outcome.
      let otk = this.#retrieveOtks.get(entry.id);
      this.#retrieveOtks.delete(entry.id);
      otk ??= await api.freshRetrieveOtk(submissionId);
      if (generation !== this.#generation) return;
      const ready = await this.#open(entry, await api.retrieve(submissionId, otk), key);
      if (generation !== this.#generation) return;
      // The key was dropped meanwhile (conversation closed or transferred, invitation ended).
      if (!this.#keys.has(entry.id)) return this.#failRetrieval(entry, this.#noKey());
      this.#setRetrieval(entry, ready);
      void this.#announce(msg('Answers ready'));
      this.#tick();
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      const code = problemCode(error);
      // This panel sent the form, so it was assigned then: the conversation has passed on.
      if (code === 'NOT_ASSIGNED') return this.#onTransferred();
      this.#failRetrieval(entry, code);
    }
  }

  /** Why this page holds no key for an invitation it lists. */
  #noKey(): PanelErrorCode {
    return this.conversationClosed ? 'CONVERSATION_CLOSED' : this.transferred ? 'TRANSFERRED' : 'KEY_NOT_HERE';
  }

  #failRetrieval(target: InvitationEntry | HistoryItem, code: PanelErrorCode): void {
    if ('id' in target) this.#retrieveOtks.delete(target.id);
    this.#setRetrieval(target, { status: 'failed', code });
    this.#emitError(code);
  }

  async #open(entry: InvitationEntry, response: RetrieveResponse, key: CryptoKey): Promise<Answered> {
    if (response.invitationId !== entry.id || response.submissionId !== entry.submissionId) {
      throw new EnvelopeError('the response belongs to another invitation');
    }
    // Bind to what this panel sent, not to what the response claims.
    const ref = formRef({ id: entry.formId, version: entry.formVersion });
    const binding = { invitationId: entry.id, siteId: response.siteId, formRef: ref };
    const sent = this.forms?.find((f) => formRef(f) === ref);
    const form = sent ?? this.forms?.find((f) => f.id === entry.formId);
    const fields: RevealableField[] = [];
    let leftOut = false;
    // Each part shows only the fields the form version puts in it (`sent`; unknown: all).
    const take = async (envelope: NonNullable<RetrieveResponse['onTheRecord']>, part: RecordPart) => {
      const { kept, dropped } = answersOfPart(sent, part, await openAnswers(envelope, key, { ...binding, part }));
      leftOut ||= dropped > 0;
      return this.#toFields(entry.id, part, kept, form);
    };
    if (response.onTheRecord) fields.push(...(await take(response.onTheRecord, 'on-the-record')));
    let offTheRecordExpiresAt: number | null = null;
    if (response.offTheRecord && response.offTheRecordState === 'available') {
      const otr = await take(response.offTheRecord, 'off-the-record');
      fields.push(...otr);
      if (otr.length > 0) {
        const parsed = Date.parse(response.offTheRecordExpiresAt ?? '');
        offTheRecordExpiresAt = Number.isNaN(parsed) ? Date.now() + OFF_THE_RECORD_FALLBACK_MS : parsed;
      }
    }
    const state = response.offTheRecordState;
    const note = state === 'expired' || state === 'handed-out' ? state : null;
    return this.#answered(fields, form, offTheRecordExpiresAt, note, leftOut);
  }

  /** Answers as the form lists its fields. */
  #answered(
    fields: RevealableField[],
    form: FormSummary | undefined,
    offTheRecordExpiresAt: number | null,
    offTheRecordNote: Answered['offTheRecordNote'],
    leftOut = false,
  ): Answered {
    const ids = form?.fields.map((f) => f.id) ?? [];
    const rank = (f: RevealableField) => ids.indexOf(f.key.split(':')[2]!) + 1 || 99;
    return { status: 'ready', fields: fields.sort((a, b) => rank(a) - rank(b)), offTheRecordExpiresAt, offTheRecordNote, leftOut };
  }

  #toFields(scope: string, part: RecordPart, answers: ReadonlyMap<string, string>, form: FormSummary | undefined): RevealableField[] {
    const locale = this.#locale();
    return [...answers].map(([fieldId, value]) => {
      const field = form?.fields.find((f) => f.id === fieldId);
      return {
        key: `${scope}:${part}:${fieldId}`,
        label: field ? localize(field.label, locale) : fieldId,
        part,
        value,
        masked: field?.type === 'card-number' ? maskCardNumber(value) : maskSecret(value),
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
    this.#setRetrieval(item, { status: 'retrieving' });
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
      const form = this.forms?.find((f) => formRef(f) === entry.formRef);
      const { kept, dropped } = answersOfPart(form, 'on-the-record', answers);
      const fields = this.#toFields(`h-${entry.submissionId}`, 'on-the-record', kept, form);
      this.#setRetrieval(item, this.#answered(fields, form, null, null, dropped > 0));
      void this.#announce(msg('Answers ready'));
    } catch (error) {
      if (generation !== this.#generation || isAbortError(error)) return;
      this.#failRetrieval(item, problemCode(error));
    }
  }

  /** Drop one history view's answers from memory and the DOM. */
  #closeHistory(item: HistoryItem): void {
    if (this.revealedKey?.startsWith(`h-${item.entry.submissionId}:`)) this.#hide();
    this.#setRetrieval(item, { status: 'idle' });
  }

  /** An invitation's retrieval, or a history item's view. */
  #setRetrieval(target: InvitationEntry | HistoryItem, retrieval: Retrieval): void {
    if ('view' in target) target.view = retrieval;
    else target.retrieval = retrieval;
    this.requestUpdate();
  }

  // ---- reveal and off-the-record expiry -----------------------------------------------------

  #toggle(key: string): void {
    const hide = this.revealedKey === key;
    this.#hide();
    if (hide) return;
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
    try {
      await navigator.clipboard.writeText(text);
    } catch {
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
    this.revealedKey = null;
  }

  /** Drop off-the-record values whose time is up; keep a 1 s tick while any countdown runs. */
  #tick = (): void => {
    const now = Date.now();
    let pending = false;
    for (const { retrieval: r } of this.#invitations.values()) {
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
    if (pending) this.#tickTimer ??= setInterval(this.#tick, 1000);
    else {
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

  protected override render(): TemplateResult | typeof nothing {
    // Hidden or not laid out: nothing at all in the DOM, so no answer either.
    if (!this.#visible()) return nothing;
    const locale = this.#locale();
    const history = this.mode === 'history';
    return html`
      <section part="base" class="base" aria-labelledby="title" lang=${locale} dir=${directionOf(locale)}>
        <h3 part="title" id="title">${history ? this.#responsesLabel() : msg('Secure forms')}</h3>
        ${
          this.idle
            ? html`<div part="notice idle-notice" class="notice">
                <p>${msg('Secure forms were cleared from this page because you were inactive.')}</p>
                <button part="resume-button" type="button" @click=${this.#resume}>${msg('Continue')}</button>
              </div>`
            : !this.#allowed(history ? HISTORY_PERMISSION : SEND_PERMISSION)
              ? html`<div part="notice permission-notice" class="notice">
                  <p>${history ? msg('You do not have permission to view secure form responses in conversation history.') : noUse()}</p>
                  <p>
                    ${
                      history
                        ? msg('Ask an administrator for the "view secure form responses in conversation history" permission.')
                        : askUse()
                    }
                  </p>
                </div>`
              : !this.session || !this.conversationId
                ? this.#status(
                    history
                      ? msg('Open a conversation to see its secure form responses.')
                      : msg('Open a conversation to send a secure form.'),
                  )
                : history
                  ? this.#renderHistory(locale)
                  : this.#renderAgent(locale)
        }
        <div part="live-region" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      </section>
    `;
  }

  #responsesLabel(): string {
    return msg('Secure form responses');
  }

  #status(text: string): TemplateResult {
    return html`<p part="catalog-status" class="muted">${text}</p>`;
  }

  #renderProblemIfAny(): TemplateResult | typeof nothing {
    return this.problem ? this.#renderProblem(this.problem) : nothing;
  }

  #renderAgent(locale: string): TemplateResult {
    const invitations = [...this.#invitations.values()].reverse();
    return html`
      ${this.#renderSend(locale)} ${this.#renderProblemIfAny()}
      ${this.conversationClosed ? html`<p part="notice" class="muted">${describeProblem('CONVERSATION_CLOSED').reason}</p>` : nothing}
      ${
        invitations.length > 0
          ? html`<ol part="invitations" class="invitations" aria-label=${msg('Secure forms sent')}>
              ${invitations.map((entry) => this.#renderInvitation(entry, locale))}
            </ol>`
          : nothing
      }
    `;
  }

  #renderHistory(locale: string): TemplateResult {
    const items = this.history;
    return html`
      ${this.#renderProblemIfAny()}
      ${
        items === null
          ? this.#status(msg('Loading responses…'))
          : items.length === 0
            ? this.problem
              ? nothing
              : this.#status(msg('No secure form responses in this conversation.'))
            : html`<ol part="history" class="invitations" aria-label=${this.#responsesLabel()}>
                ${items.map((item) => {
                  const { entry, view } = item;
                  const title = localize(entry.formTitle, locale);
                  return html`<li part="history-entry" class="invitation">
                    <h4 part="invitation-title">${title}</h4>
                    <p class="muted">${this.#submittedLabel()} ${this.#time(entry.submittedAt, locale)}</p>
                    ${
                      !entry.viewable
                        ? html`<p part="history-note">
                            ${msg('This response cannot be viewed: history viewing was off when the form was sent.')}
                          </p>`
                        : view.status === 'ready'
                          ? html`${this.#renderAnswers(entry.submissionId, view)}
                              <button part="close-answers-button" type="button" @click=${() => this.#closeHistory(item)}>
                                ${msg(str`Hide answers to ${title}`)}
                              </button>`
                          : view.status === 'retrieving'
                            ? this.#retrievingStatus()
                            : html`${view.status === 'failed' ? this.#renderProblem(view.code) : nothing}
                                <button part="view-answers-button" type="button" @click=${() => void this.#viewHistory(item)}>
                                  ${msg(str`View answers to ${title}`)}
                                </button>`
                    }
                  </li>`;
                })}
              </ol>`
      }
    `;
  }

  #submittedLabel(): string {
    return msg('Submitted');
  }

  #time(at: string, locale: string): TemplateResult {
    return html`<time part="trail-time" class="muted" datetime=${at}>${formatTime(at, locale)}</time>`;
  }

  #retrievingStatus(): TemplateResult {
    return html`<p part="retrieval-status" class="muted">${msg('Retrieving answers…')}</p>`;
  }

  #renderSend(locale: string): TemplateResult {
    const forms = this.forms;
    if (forms === null) return this.#status(msg('Loading forms…'));
    if (forms.length === 0) {
      return this.catalogFailed ? html`` : this.#status(msg('No secure forms are available to send.'));
    }
    const closed = this.conversationClosed || this.transferred;
    return html`
      <form part="send" class="send" @submit=${this.#onSubmit}>
        <label part="form-label" for="form-select">${msg('Form')}</label>
        <select
          part="form-select"
          id="form-select"
          .value=${this.selectedFormId}
          ?disabled=${closed}
          @change=${(e: Event) => (this.selectedFormId = (e.target as HTMLSelectElement).value)}
        >
          ${forms.map((f) => html`<option value=${f.id} ?selected=${f.id === this.selectedFormId}>${localize(f.title, locale)}</option>`)}
        </select>
        <button part="send-button" class="primary" type="submit" aria-disabled=${closed || this.sending}>${msg('Send secure form')}</button>
      </form>
    `;
  }

  #renderProblem(code: PanelErrorCode, retry?: () => void): TemplateResult {
    const { reason, next } = describeProblem(code);
    return html`
      <div part="problem" class="problem" role="alert">
        <p part="problem-reason" class="reason">${reason}</p>
        <p part="problem-next">${next}</p>
        ${retry ? html`<button part="retrieve-again-button" type="button" @click=${retry}>${msg('Retrieve again')}</button>` : nothing}
      </div>
    `;
  }

  #renderInvitation(entry: InvitationEntry, locale: string): TemplateResult {
    const title = localize(entry.formTitle, locale);
    return html`
      <li part=${entry.mine ? 'invitation' : 'invitation invitation-other'} class="invitation">
        <h4 part="invitation-title">${title}</h4>
        ${
          entry.trail.length
            ? html`<ol part="trail" class="trail" aria-label=${msg('Status')}>
                ${entry.trail.map((step) => html`<li part="trail-step">${this.#stepLabel(step)} ${this.#time(step.at, locale)}</li>`)}
              </ol>`
            : nothing
        }
        ${this.#renderRetrieval(entry)}
        ${
          !entry.mine || this.conversationClosed || this.transferred
            ? nothing
            : html`<div part="invitation-actions" class="actions">
                ${
                  CANCELLABLE.has(entry.state)
                    ? html`<button part="cancel-button" type="button" @click=${() => void this.#cancel(entry)}>
                        ${msg(str`Cancel ${title}`)}
                      </button>`
                    : nothing
                }
                <button part="resend-button" type="button" aria-disabled=${this.sending} @click=${() => void this.#send(entry.formId)}>
                  ${msg(str`Send ${title} again`)}
                </button>
              </div>`
        }
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
        return this.#submittedLabel();
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
    return r.status === 'ready'
      ? this.#renderAnswers(entry.id, r)
      : r.status === 'retrieving'
        ? this.#retrievingStatus()
        : r.status === 'failed'
          ? this.#renderProblem(
              r.code,
              canRetryRetrieve(r.code) && entry.submissionId && !this.conversationClosed ? () => void this.#retrieve(entry) : undefined,
            )
          : nothing;
  }

  #renderAnswers(scope: string, r: Answered): TemplateResult {
    const headingId = `answers-${scope}`;
    const left = r.offTheRecordExpiresAt === null ? null : r.offTheRecordExpiresAt - Date.now();
    const gone =
      r.offTheRecordNote === 'expired' || r.offTheRecordNote === 'handed-out' ? describeProblem(OFF_THE_RECORD[r.offTheRecordNote]) : null;
    return html`
      <section part="answers" aria-labelledby=${headingId}>
        <h5 part="answers-title" id=${headingId}>${msg('Answers')}</h5>
        ${
          r.fields.length > 0
            ? html`<dl part="answer-list" class="answer-list">${r.fields.map((field) => this.#renderField(field))}</dl>`
            : nothing
        }
        ${
          left !== null
            ? html`<p part="countdown" class="countdown">
                ${msg(str`Off-the-record answers are deleted from this page in ${formatCountdown(left)}.`)}
              </p>`
            : nothing
        }
        ${
          r.offTheRecordNote
            ? html`<p part="off-the-record-note">
                ${gone ? `${gone.reason} ${gone.next}` : msg('Off-the-record answers were deleted from this page when their time ran out.')}
              </p>`
            : nothing
        }
        ${
          r.leftOut
            ? html`<p part="left-out-note">${msg('Some answers are not shown because this form does not ask for them there.')}</p>`
            : nothing
        }
      </section>
    `;
  }

  #renderField(field: RevealableField): TemplateResult {
    const offTheRecord = field.part === 'off-the-record';
    const revealed = this.revealedKey === field.key && field.value !== null;
    return html`
      <div part=${offTheRecord ? 'answer answer-off-the-record' : 'answer'} class="answer">
        <dt part="answer-label">
          ${field.label}${offTheRecord ? html`<span part="off-the-record-badge" class="badge">${msg('Off the record')}</span>` : nothing}
        </dt>
        <dd part="answer-value">
          ${
            field.value === null
              ? html`<span part="answer-deleted" class="muted">${msg('Deleted')}</span>`
              : html`<span part="answer-text" class="value">${revealed ? field.value : field.masked}</span>
                  <button part="reveal-button" type="button" aria-pressed=${revealed} @click=${() => this.#toggle(field.key)}>
                    ${revealed ? msg(str`Hide ${field.label}`) : msg(str`Reveal ${field.label}`)}
                  </button>
                  <button part="copy-button" type="button" @click=${() => void this.#copy(field)}>${msg(str`Copy ${field.label}`)}</button>`
          }
        </dd>
      </div>
    `;
  }
}

customElements.define('secure-form-panel', SecureFormPanel);
