import { LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult, nothing } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import { normalizeOrigin } from '../../internal/api-client.js';
import { resolveLocale, useLocale } from '../../internal/localization.js';
import type { PanelErrorCode } from '../../internal/problems.js';
import { IdleController, idleTimeoutMs } from './idle-controller.js';
import { InvitationActions } from './invitation-actions.js';
import { HistoryActions } from './history-actions.js';
import { InvitationLedger } from './invitation-ledger.js';
import { FocusController } from './focus-controller.js';
import { FormCatalog } from './form-catalog.js';
import { LiveAnnouncer } from './live-announcer.js';
import * as m from './messages.js';
import type { PanelContext } from './panel-context.js';
import { mayUse } from './permissions.js';
import { RevealController } from './reveal-controller.js';
import { SecureFormPanelClearedEvent, SecureFormPanelErrorEvent } from './secure-form-panel.events.js';
import { styles } from './secure-form-panel.styles.js';
import { SessionScope } from './session-scope.js';
import { renderPanel, type PanelHandlers } from './templates.js';
import { VisibilityController } from './visibility-controller.js';

export type { PanelErrorCode } from '../../internal/problems.js';
export * from './secure-form-panel.events.js';
export { CLIPBOARD_CLEAR_MS, REVEAL_MS } from './reveal-controller.js';

/** `agent`: send and read forms in one conversation; `history`: a manager reads past responses. */
export type PanelMode = 'agent' | 'history';

/** The inputs that define one (session, conversation) scope: a change to any of them starts anew. */
const SCOPE_INPUTS = ['session', 'conversationId', 'pciOrigin', 'mode', 'permissions'] as const;

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
 * @summary Send a secure form and read its answers.
 *
 * @event {SecureFormPanelSentEvent} secure-form-panel-sent - An invitation was sent by this panel. Detail: `{ invitationId, formId }`.
 * @event {SecureFormPanelStatusEvent} secure-form-panel-status - An invitation changed state (or was opened once more). Detail:
 *   `{ invitationId, state }`.
 * @event {SecureFormPanelSubmittedEvent} secure-form-panel-submitted - The visitor submitted; the panel is retrieving the answers.
 *   Detail: `{ invitationId, submissionId }`.
 * @event {SecureFormPanelErrorEvent} secure-form-panel-error - Something was refused or failed; the panel shows the reason and
 *   the next step. Detail: `{ code }`.
 * @event {SecureFormPanelClearedEvent} secure-form-panel-cleared - Everything was dropped because the agent was idle. Detail: `{ reason: 'idle' }`.
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
 * @csspart answer-text - The masked (`•••• 1111 Visa`, read as "Hidden…") or revealed value.
 * @csspart answer-deleted - Shown in place of a value that was dropped.
 * @csspart reveal-button - The per-field Reveal toggle (an icon, named "Reveal <label>", with `aria-pressed`).
 * @csspart countdown - Time left before off-the-record answers are dropped.
 * @csspart off-the-record-note - Why off-the-record answers are not (or no longer) shown.
 * @csspart left-out-note - Some answers were left out: the form does not ask for them in that part.
 * @csspart retrieve-again-button - The "Retrieve again" button.
 * @csspart invitation-actions - An invitation's Cancel and Send again buttons.
 * @csspart cancel-button - Cancels an invitation that is still open.
 * @csspart resend-button - Sends the same form again with a new key pair.
 * @csspart copy-button - Copies one value; the clipboard is cleared after 30 s.
 * @csspart idle-notice - Shown after the panel cleared itself for inactivity (also `notice`).
 * @csspart resume-button - The "Continue" button of the idle notice.
 * @csspart idle-warning - The alert shown 30 s before the idle clear (also `notice`).
 * @csspart stay-button - The "I'm still here" button of the idle warning.
 * @csspart permission-notice - Shown instead of the panel when the operator lacks the permission.
 * @csspart history - The list of responses in history mode.
 * @csspart history-entry - One response in history mode.
 * @csspart history-note - Why a response cannot be viewed.
 * @csspart view-answers-button - Opens one response's on-the-record answers (history mode).
 * @csspart close-answers-button - Drops them again (history mode).
 * @csspart live-region - The visually hidden polite announcer.
 *
 * @cssproperty [--secure-form-panel-font-family=system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif] - Font family.
 * @cssproperty [--secure-form-panel-text-color=#1a1a1a] - Text color.
 * @cssproperty [--secure-form-panel-secondary-text-color=#4a4a4a] - Secondary text color.
 * @cssproperty [--secure-form-panel-background=#ffffff] - Background color.
 * @cssproperty [--secure-form-panel-surface=#f5f6f8] - Background of invitations and problem boxes.
 * @cssproperty [--secure-form-panel-border-color=#6b6f76] - Border color of the panel and the picker.
 * @cssproperty [--secure-form-panel-primary-color=#0b57d0] - Button color.
 * @cssproperty [--secure-form-panel-primary-text-color=#ffffff] - Text on accent-colored buttons.
 * @cssproperty [--secure-form-panel-error-color=#b3261e] - Color of refusal reasons.
 * @cssproperty [--secure-form-panel-off-the-record-background=#fde7e9] - Background of the off-the-record badge.
 * @cssproperty [--secure-form-panel-off-the-record-color=#8c1d18] - Text of the off-the-record badge and countdown.
 * @cssproperty [--secure-form-panel-focus-color=#1a1a1a] - Focus outline color.
 * @cssproperty [--secure-form-panel-border-radius=0.375rem] - Corner radius.
 * @cssproperty [--secure-form-panel-gap=0.75rem] - Spacing between sections.
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
    problem: { state: true, attribute: false },
  };

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  readonly #scope = new SessionScope();
  readonly #invitations = new InvitationLedger();
  readonly #visibility = new VisibilityController(this);
  readonly #focus = new FocusController(this);
  readonly #live = new LiveAnnouncer(this);
  readonly #idle = new IdleController(this, {
    timeoutMs: () => (this.#scope.api ? idleTimeoutMs(this.idleTimeoutSeconds) : 0),
    onIdle: () => {
      this.#stop();
      this.#focus.after('[part~="resume-button"]');
      void this.#live.announce(m.idleGone());
      this.dispatchEvent(new SecureFormPanelClearedEvent({ reason: 'idle' }));
    },
    onPageHide: () => this.#stop(),
    onPageRestore: () => this.#start(),
  });
  readonly #reveal = new RevealController(this, {
    expire: (now, onDrop) => this.#actions.expireOffTheRecord(now, onDrop),
    announce: (text) => void this.#live.announce(text),
  });
  readonly #context: PanelContext = {
    scope: this.#scope,
    invitations: this.#invitations,
    live: this.#live,
    focus: this.#focus,
    reveal: this.#reveal,
    forms: () => this.#catalog.forms,
    locale: () => this.#locale(),
    fail: (code) => this.#fail(code),
    clear: (code) => {
      if (!code || this.problem === code) this.problem = null;
    },
  };
  readonly #catalog = new FormCatalog(this, this.#context);
  readonly #actions = new InvitationActions(this, this.#context);
  readonly #history = new HistoryActions(this, this.#context);

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
   * 30 s before, it warns with "I'm still here". Less than 60 counts as 60 (WCAG 2.2.1: warned at
   * least 20 s ahead). 0 or less turns the timer off.
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

  private problem: PanelErrorCode | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // A re-connected element has no pending property change to start it.
    if (this.hasUpdated) this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) void useLocale(this.#locale());
    if (SCOPE_INPUTS.some((name) => changed.has(name))) {
      this.#stop();
      this.#idle.reset();
      this.#start();
    }
    if (changed.has('idleTimeoutSeconds')) this.#idle.arm();
    // Leaving the screen hides the revealed value; answers are not rendered while closed.
    if (!this.#visibility.visible) this.#reveal.hide();
  }

  /** Stop every request and stream; drop every key, OTK, answer and timer. */
  #stop(): void {
    this.#scope.close();
    this.#actions.clear();
    this.#invitations.clear();
    this.#history.clear();
    this.#catalog.clear();
    this.#idle.disarm();
    this.#reveal.reset();
    this.problem = null;
    this.#live.reset();
  }

  #start(): void {
    if (this.#scope.api || this.#idle.state === 'cleared' || !this.isConnected || !this.session || !this.conversationId || !this.pciOrigin)
      return;
    // Without the permission, no request at all: render() explains.
    if (!mayUse(this.mode, this.permissions)) return;
    const origin = normalizeOrigin(this.pciOrigin);
    if (!origin) return this.#fail('CONFIG_INVALID');
    const { api, signal } = this.#scope.open(origin, this.session);
    const history = this.mode === 'history';
    this.#idle.arm();
    void this.#catalog.load(api, history);
    if (history) return void this.#history.load(api);
    this.#actions.follow(api, signal);
  }

  #fail(code: PanelErrorCode): void {
    this.problem = code;
    this.dispatchEvent(new SecureFormPanelErrorEvent({ code }));
  }

  /** The supported locale: the `locale` attribute, else the document's `lang`, else the browser's. */
  #locale(): string {
    return resolveLocale(this.locale || document.documentElement.lang || navigator.language);
  }

  /** What the templates call when the agent acts (the controllers they are given do the rest). */
  readonly #on: PanelHandlers = {
    resume: () => {
      this.#idle.reset();
      this.#start();
    },
    stay: () => {
      this.#idle.arm();
      this.#focus.after('#title');
    },
    select: (formId) => (this.#catalog.selected = formId),
  };

  protected override render(): TemplateResult | typeof nothing {
    // Hidden or not laid out: nothing at all in the DOM, so no answer either.
    if (!this.#visibility.visible) return nothing;
    return renderPanel({
      locale: this.#locale(),
      history: this.mode === 'history',
      idle: this.#idle.state,
      allowed: mayUse(this.mode, this.permissions),
      ready: !!this.session && !!this.conversationId,
      catalog: this.#catalog,
      conversation: this.#actions,
      problem: this.problem,
      invitations: this.#invitations.newestFirst(),
      responses: this.#history,
      reveal: this.#reveal,
      live: this.#live,
      on: this.#on,
    });
  }
}
