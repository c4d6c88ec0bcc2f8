/**
 * The panel's markup as pure functions of what it holds and what it does on a click: no state, no
 * timers, no requests. The component gathers a `PanelView` in `render()` and passes it to `renderPanel`.
 */
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { CARD_BRAND_NAMES, localize, type FormSummary } from '@secure-forms/shared';
import { formatCountdown, formatTime } from '../../internal/format.js';
import { directionOf } from '../../internal/localization.js';
import { askUse, canRetryRetrieve, describeProblem, noUse, type PanelErrorCode } from '../../internal/problems.js';
import {
  CANCELLABLE,
  type Answered,
  type HistoryItem,
  type InvitationEntry,
  type RevealableField,
  type TrailStep,
} from './invitation-ledger.js';
import { IDLE_WARNING_MS } from './idle-controller.js';
import * as m from './messages.js';

/** The code that explains each way off-the-record answers can be missing from a retrieve. */
const OFF_THE_RECORD = { expired: 'OFF_THE_RECORD_EXPIRED', 'handed-out': 'OFF_THE_RECORD_HANDED_OUT' } as const;

/** What the panel does when the agent acts, besides what its controllers do (below). */
export interface PanelHandlers {
  resume: () => void;
  /** "I'm still here": restart the idle timer. */
  stay: () => void;
  submit: (event: SubmitEvent) => void;
  select: (formId: string) => void;
}

/** Everything the panel renders from, gathered once per render. */
export interface PanelView {
  locale: string;
  history: boolean;
  idle: boolean;
  /** The idle clear is near (in `IDLE_WARNING_MS`): warn, with one action to stay. */
  idleWarning: boolean;
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

/** The one revealed answer, and the Reveal and Copy buttons (the panel passes its `RevealController`). */
export interface RevealView {
  readonly revealedKey: string | null;
  toggle: (key: string) => void;
  copy: (text: string) => Promise<void>;
}

/** The panel: its heading, what the agent may do now, the idle warning if due, and the live region. */
export function renderPanel(v: PanelView): TemplateResult {
  // WCAG 2.2.1: warned before the timeout, with one action to stay. Focus is not moved here, so
  // typing elsewhere is not interrupted; any key or click in the page also counts as staying. It
  // comes last (sticky at the bottom): removing it at a click elsewhere moves nothing under the pointer.
  const warning =
    v.idleWarning && !v.idle
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
  if (v.idle) {
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
    return html`${renderAnswers(v, entry.submissionId, view)}
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
    <form part="send" class="send" @submit=${v.on.submit}>
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
  if (r.status === 'ready') return renderAnswers(v, entry.id, r);
  if (r.status === 'retrieving') return retrievingStatus();
  if (r.status !== 'failed') return nothing;
  const retry = canRetryRetrieve(r.code) && entry.submissionId && !v.conversation.conversationClosed;
  return renderProblem(r.code, retry ? () => void v.conversation.retrieve(entry) : undefined);
}

function renderAnswers(v: PanelView, scope: string, r: Answered): TemplateResult {
  const headingId = `answers-${scope}`;
  const left = r.offTheRecordExpiresAt === null ? null : r.offTheRecordExpiresAt - Date.now();
  return html`
    <section part="answers" aria-labelledby=${headingId}>
      <h5 part="answers-title" id=${headingId} tabindex="-1">${m.answers()}</h5>
      ${
        r.fields.length > 0
          ? html`<dl part="answer-list" class="answer-list">${r.fields.map((field) => renderField(v, field))}</dl>`
          : nothing
      }
      ${left !== null ? html`<p part="countdown" class="countdown">${m.countdown(formatCountdown(left))}</p>` : nothing}
      ${
        r.offTheRecordNote
          ? html`<p part="off-the-record-note" id="otr-${scope}" tabindex="-1">${offTheRecordNote(r.offTheRecordNote)}</p>`
          : nothing
      }
      ${r.leftOut ? html`<p part="left-out-note">${m.leftOut()}</p>` : nothing}
    </section>
  `;
}

/** Why off-the-record answers are not (or no longer) shown. */
function offTheRecordNote(note: NonNullable<Answered['offTheRecordNote']>): string {
  if (note === 'deleted') return m.offTheRecordDeleted();
  const { reason, next } = describeProblem(OFF_THE_RECORD[note]);
  return `${reason} ${next}`;
}

/** One compact row per answer: label, value, and icon buttons, wrapping below the label when narrow. */
function renderField(v: PanelView, field: RevealableField): TemplateResult {
  const offTheRecord = field.part === 'off-the-record';
  return html`
    <div part=${offTheRecord ? 'answer answer-off-the-record' : 'answer'} class="answer">
      <dt part="answer-label">
        ${field.label}${offTheRecord ? html`<span part="off-the-record-badge" class="badge">${m.offTheRecord()}</span>` : nothing}
      </dt>
      <dd part="answer-value">${fieldValue(v, field)}</dd>
    </div>
  `;
}

/** Eye (reveal), eye struck through (hide) and two sheets (copy), drawn with the text color. */
const EYE = svg`<path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z" /><circle cx="12" cy="12" r="3" />`;
const EYE_OFF = svg`${EYE}<path d="M4 4l16 16" />`;
const COPY = svg`<rect x="9" y="9" width="11" height="11" rx="2" /><path d="M5 15V5a1 1 0 0 1 1-1h9" />`;

function icon(paths: SVGTemplateResult): TemplateResult {
  return html`<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    ${paths}
  </svg>`;
}

/** Digit groups, each in its own box and spaced, so that the text reads `4111 1111` and tests can measure each. */
function groups(parts: string[]): TemplateResult[] {
  return parts.map((part, i) => html`${i ? ' ' : ''}<span class="group">${part}</span>`);
}

/**
 * The value (revealed) or its mask, with a Reveal toggle and Copy; "Deleted" once dropped. Card
 * numbers and masks are laid out left to right even in a right-to-left page (digits in fours); other values take their own direction (`dir="auto"`). A mask is hidden from screen
 * readers, which read "Hidden" (and a card's last four and brand) instead of a run of "bullet".
 */
function fieldValue(v: PanelView, field: RevealableField): TemplateResult {
  const { value } = field;
  if (value === null) return html`<span part="answer-deleted" class="muted">${m.deleted()}</span>`;
  const revealed = v.reveal.revealedKey === field.key;
  const card = field.card;
  const brand = card?.brand ? CARD_BRAND_NAMES[card.brand] : '';
  let shown: TemplateResult;
  if (revealed) {
    shown = card
      ? html`<span part="answer-text" class="value" dir="ltr">${groups(value.replace(/\D/g, '').match(/.{1,4}/g) ?? [])}</span>`
      : html`<span part="answer-text" class="value" dir="auto">${value}</span>`;
  } else {
    const spoken = card ? (brand ? m.hiddenCardBrand(brand, card.lastFour) : m.hiddenCard(card.lastFour)) : m.hidden();
    shown = html`<span part="answer-text" class="value" dir="ltr" aria-hidden="true"
        >${card ? groups(field.masked.split(' ')) : field.masked}${brand ? html` <span class="brand">${brand}</span>` : nothing}</span
      ><span class="visually-hidden">${spoken}</span>`;
  }
  // The Reveal toggle keeps one name and says its state with aria-pressed alone.
  return html`${shown}
    <span class="actions">
      <button
        part="reveal-button"
        class="icon"
        type="button"
        title=${m.reveal(field.label)}
        aria-pressed=${revealed}
        @click=${() => v.reveal.toggle(field.key)}
      >
        ${icon(revealed ? EYE_OFF : EYE)}<span class="visually-hidden">${m.reveal(field.label)}</span>
      </button>
      <button part="copy-button" class="icon" type="button" title=${m.copy(field.label)} @click=${() => v.reveal.copy(value)}>
        ${icon(COPY)}<span class="visually-hidden">${m.copy(field.label)}</span>
      </button>
    </span>`;
}
