/**
 * The panel's markup as pure functions of what it holds and what it does on a click: no state, no
 * timers, no requests. The component gathers a `PanelView` in `render()` and passes it to
 * `renderPanel`; the answers are drawn by `answer-templates.ts`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { localize, type FormSummary } from '@secure-forms/shared';
import { formatTime } from '../../internal/format.js';
import { directionOf } from '../../internal/localization.js';
import { askUse, canRetryRetrieve, describeProblem, noUse, type PanelErrorCode } from '../../internal/problems.js';
import { renderAnswers, type RevealView } from './answer-templates.js';
import { CANCELLABLE, type HistoryItem, type InvitationEntry, type TrailStep } from './invitation-ledger.js';
import { IDLE_WARNING_MS, type IdleState } from './idle-controller.js';
import * as m from './messages.js';

/** What the panel does when the agent acts, besides what its controllers do (below). */
export interface PanelHandlers {
  resume: () => void;
  /** "I'm still here": restart the idle timer. */
  stay: () => void;
  select: (formId: string) => void;
}

/** Everything the panel renders from, gathered once per render. */
export interface PanelView {
  locale: string;
  history: boolean;
  idle: IdleState;
  /** The operator has the permission the mode needs (or the host did not say). */
  allowed: boolean;
  /** A session and a conversation are set. */
  ready: boolean;
  catalog: CatalogState;
  conversation: ConversationActions;
  problem: PanelErrorCode | null;
  invitations: InvitationEntry[];
  responses: HistoryView;
  reveal: RevealView;
  /** What the polite live region says. */
  live: { readonly text: string };
  on: PanelHandlers;
}

/** The form catalogue as the send form reads it (the panel passes its `FormCatalog`). */
export interface CatalogState {
  /** `null` while loading. */
  readonly forms: FormSummary[] | null;
  readonly failed: boolean;
  readonly selected: string;
}

/** What the conversation allows now, and the invitations' buttons (the panel passes its `InvitationActions`). */
export interface ConversationActions {
  readonly sending: boolean;
  readonly conversationClosed: boolean;
  readonly transferred: boolean;
  send: (formId: string) => Promise<void>;
  cancel: (entry: InvitationEntry) => Promise<void>;
  retrieve: (entry: InvitationEntry) => Promise<void>;
}

/** The past responses and their buttons, in history mode (the panel passes its `HistoryActions`). */
export interface HistoryView {
  /** `null` while loading. */
  readonly items: HistoryItem[] | null;
  open: (item: HistoryItem) => Promise<void>;
  close: (item: HistoryItem) => void;
}

/** The panel: its heading, what the agent may do now, the idle warning if due, and the live region. */
export function renderPanel(v: PanelView): TemplateResult {
  // WCAG 2.2.1: warned before the timeout, with one action to stay. Focus is not moved here, so
  // typing elsewhere is not interrupted; any key or click in the page also counts as staying. It
  // comes last (sticky at the bottom): removing it at a click elsewhere moves nothing under the pointer.
  const warning =
    v.idle === 'warned'
      ? html`<div part="notice idle-warning" class="notice warning" role="alert">
          <p>${m.idleWarning(IDLE_WARNING_MS / 1000)}</p>
          <button part="stay-button" type="button" @click=${v.on.stay}>${m.stay()}</button>
        </div>`
      : nothing;
  return html`
    <section part="base" class="base" aria-labelledby="title" lang=${v.locale} dir=${directionOf(v.locale)}>
      <h3 part="title" id="title" tabindex="-1">${v.history ? m.responses() : m.title()}</h3>
      ${content(v)}${warning}
      <div part="live-region" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${v.live.text}</div>
    </section>
  `;
}

function content(v: PanelView): TemplateResult {
  if (v.idle === 'cleared') {
    return html`<div part="notice idle-notice" class="notice">
      <p>${m.idleCleared()}</p>
      <button part="resume-button" type="button" @click=${v.on.resume}>${m.resume()}</button>
    </div>`;
  }
  if (!v.allowed) {
    return html`<div part="notice permission-notice" class="notice">
      <p>${v.history ? m.noHistoryPermission() : noUse()}</p>
      <p>${v.history ? m.askHistoryPermission() : askUse()}</p>
    </div>`;
  }
  if (!v.ready) return status(v.history ? m.openForResponses() : m.openToSend());
  return v.history ? renderHistory(v) : renderAgent(v);
}

function status(text: string): TemplateResult {
  return html`<p part="catalog-status" class="muted">${text}</p>`;
}

function problemIfAny(v: PanelView): TemplateResult | typeof nothing {
  return v.problem ? renderProblem(v.problem) : nothing;
}

function renderAgent(v: PanelView): TemplateResult {
  return html`
    ${renderSend(v)} ${problemIfAny(v)}
    ${v.conversation.conversationClosed ? html`<p part="notice" class="muted">${describeProblem('CONVERSATION_CLOSED').reason}</p>` : nothing}
    ${
      v.invitations.length > 0
        ? html`<ol part="invitations" class="invitations" aria-label=${m.sentList()}>
            ${v.invitations.map((entry) => renderInvitation(v, entry))}
          </ol>`
        : nothing
    }
  `;
}

function renderHistory(v: PanelView): TemplateResult {
  return html`${problemIfAny(v)} ${historyList(v)}`;
}

function historyList(v: PanelView): TemplateResult | typeof nothing {
  const items = v.responses.items;
  if (items === null) return status(m.loadingResponses());
  if (items.length === 0) return v.problem ? nothing : status(m.noResponses());
  return html`<ol part="history" class="invitations" aria-label=${m.responses()}>
    ${items.map((item) => renderHistoryItem(v, item))}
  </ol>`;
}

function renderHistoryItem(v: PanelView, item: HistoryItem): TemplateResult {
  const { entry } = item;
  const title = localize(entry.formTitle, v.locale);
  return html`<li part="history-entry" class="invitation">
    <h4 part="invitation-title">${title}</h4>
    <p class="muted">${m.stepSubmitted()} ${time(entry.submittedAt, v.locale)}</p>
    ${historyView(v, item, title)}
  </li>`;
}

function historyView(v: PanelView, item: HistoryItem, title: string): TemplateResult {
  const { entry, view } = item;
  if (!entry.viewable) return html`<p part="history-note">${m.notViewable()}</p>`;
  if (view.status === 'ready') {
    return html`${renderAnswers(v.reveal, entry.submissionId, view)}
      <button part="close-answers-button" type="button" @click=${() => v.responses.close(item)}>${m.hideAnswersTo(title)}</button>`;
  }
  // The button stays (aria-disabled) while retrieving, so that focus on it is not dropped.
  const retrieving = view.status === 'retrieving';
  return html`${view.status === 'failed' ? renderProblem(view.code) : nothing} ${retrieving ? retrievingStatus() : nothing}
    <button
      part="view-answers-button"
      id="view-${entry.submissionId}"
      type="button"
      aria-disabled=${retrieving}
      @click=${() => v.responses.open(item)}
    >
      ${m.viewAnswersTo(title)}
    </button>`;
}

function time(at: string, locale: string): TemplateResult {
  return html`<time part="trail-time" class="muted" datetime=${at}>${formatTime(at, locale)}</time>`;
}

function retrievingStatus(): TemplateResult {
  return html`<p part="retrieval-status" class="muted">${m.retrieving()}</p>`;
}

function renderSend(v: PanelView): TemplateResult {
  const forms = v.catalog.forms;
  if (forms === null) return status(m.loadingForms());
  if (forms.length === 0) return v.catalog.failed ? html`` : status(m.noForms());
  const closed = v.conversation.conversationClosed || v.conversation.transferred;
  return html`
    <form part="send" class="send" @submit=${(event: SubmitEvent) => submit(event, v)}>
      <label part="form-label" for="form-select">${m.form()}</label>
      <select
        part="form-select"
        id="form-select"
        .value=${v.catalog.selected}
        ?disabled=${closed}
        @change=${(e: Event) => v.on.select((e.target as HTMLSelectElement).value)}
      >
        ${forms.map((f) => html`<option value=${f.id} ?selected=${f.id === v.catalog.selected}>${localize(f.title, v.locale)}</option>`)}
      </select>
      <button part="send-button" class="primary" type="submit" aria-disabled=${closed || v.conversation.sending}>${m.send()}</button>
    </form>
  `;
}

/** The send form sends the form picked. */
function submit(event: SubmitEvent, v: PanelView): void {
  event.preventDefault();
  void v.conversation.send(v.catalog.selected);
}

/** A refusal or failure: its reason, the next step and, where it helps, "Retrieve again". */
function renderProblem(code: PanelErrorCode, retry?: () => void): TemplateResult {
  const { reason, next } = describeProblem(code);
  return html`
    <div part="problem" class="problem" role="alert">
      <p part="problem-reason" class="reason">${reason}</p>
      <p part="problem-next">${next}</p>
      ${retry ? html`<button part="retrieve-again-button" type="button" @click=${retry}>${m.retrieveAgain()}</button>` : nothing}
    </div>
  `;
}

function renderInvitation(v: PanelView, entry: InvitationEntry): TemplateResult {
  const title = localize(entry.formTitle, v.locale);
  return html`
    <li part=${entry.mine ? 'invitation' : 'invitation invitation-other'} class="invitation">
      <h4 part="invitation-title">${title}</h4>
      ${
        entry.trail.length
          ? html`<ol part="trail" class="trail" aria-label=${m.status()}>
              ${entry.trail.map((step) => html`<li part="trail-step">${stepLabel(step)} ${time(step.at, v.locale)}</li>`)}
            </ol>`
          : nothing
      }
      ${renderRetrieval(v, entry)} ${invitationActions(v, entry, title)}
    </li>
  `;
}

/** Cancel (while it is open) and Send again, for the invitations this panel may still act on. */
function invitationActions(v: PanelView, entry: InvitationEntry, title: string): TemplateResult | typeof nothing {
  if (!entry.mine || v.conversation.conversationClosed || v.conversation.transferred) return nothing;
  return html`<div part="invitation-actions" class="actions">
    ${
      CANCELLABLE.has(entry.state)
        ? html`<button part="cancel-button" type="button" @click=${() => v.conversation.cancel(entry)}>${m.cancel(title)}</button>`
        : nothing
    }
    <button part="resend-button" type="button" aria-disabled=${v.conversation.sending} @click=${() => v.conversation.send(entry.formId)}>
      ${m.sendAgain(title)}
    </button>
  </div>`;
}

function stepLabel(step: TrailStep): string {
  switch (step.state) {
    case 'sent':
      return m.stepSent();
    case 'opened':
      return m.stepOpened(step.opens, step.openLimit);
    case 'submitted':
      return m.stepSubmitted();
    case 'viewed':
      return m.stepViewed();
    case 'expired':
      return m.stepExpired();
    case 'cancelled':
      return m.stepCancelled();
  }
}

function renderRetrieval(v: PanelView, entry: InvitationEntry): TemplateResult | typeof nothing {
  const r = entry.retrieval;
  if (r.status === 'ready') return renderAnswers(v.reveal, entry.id, r);
  if (r.status === 'retrieving') return retrievingStatus();
  if (r.status !== 'failed') return nothing;
  const retry = canRetryRetrieve(r.code) && entry.submissionId && !v.conversation.conversationClosed;
  return renderProblem(r.code, retry ? () => void v.conversation.retrieve(entry) : undefined);
}
