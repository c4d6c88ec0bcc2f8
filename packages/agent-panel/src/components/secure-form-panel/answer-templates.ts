/**
 * The answers of one submission, as pure functions of them and the one revealed key: each answer
 * masked or revealed with its Reveal and Copy buttons, the off-the-record countdown and notes.
 */
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { CARD_BRAND_NAMES } from '@secure-forms/shared';
import { formatCountdown } from '../../internal/format.js';
import { describeProblem } from '../../internal/problems.js';
import type { Answered, RevealableField } from './invitation-ledger.js';
import * as m from './messages.js';

/** The code that explains each way off-the-record answers can be missing from a retrieve. */
const OFF_THE_RECORD = { expired: 'OFF_THE_RECORD_EXPIRED', 'handed-out': 'OFF_THE_RECORD_HANDED_OUT' } as const;

/** The one revealed answer, and the Reveal and Copy buttons (the panel passes its `RevealController`). */
export interface RevealView {
  readonly revealedKey: string | null;
  toggle: (key: string) => void;
  copy: (text: string) => Promise<void>;
}

export function renderAnswers(reveal: RevealView, scope: string, r: Answered): TemplateResult {
  const headingId = `answers-${scope}`;
  const left = r.offTheRecordExpiresAt === null ? null : r.offTheRecordExpiresAt - Date.now();
  return html`
    <section part="answers" aria-labelledby=${headingId}>
      <h5 part="answers-title" id=${headingId} tabindex="-1">${m.answers()}</h5>
      ${
        r.fields.length > 0
          ? html`<dl part="answer-list" class="answer-list">${r.fields.map((field) => renderField(reveal, field))}</dl>`
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
function renderField(reveal: RevealView, field: RevealableField): TemplateResult {
  const offTheRecord = field.part === 'off-the-record';
  return html`
    <div part=${offTheRecord ? 'answer answer-off-the-record' : 'answer'} class="answer">
      <dt part="answer-label">
        ${field.label}${offTheRecord ? html`<span part="off-the-record-badge" class="badge">${m.offTheRecord()}</span>` : nothing}
      </dt>
      <dd part="answer-value">${fieldValue(reveal, field)}</dd>
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
function fieldValue(reveal: RevealView, field: RevealableField): TemplateResult {
  const { value } = field;
  if (value === null) return html`<span part="answer-deleted" class="muted">${m.deleted()}</span>`;
  const revealed = reveal.revealedKey === field.key;
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
        @click=${() => reveal.toggle(field.key)}
      >
        ${icon(revealed ? EYE_OFF : EYE)}<span class="visually-hidden">${m.reveal(field.label)}</span>
      </button>
      <button part="copy-button" class="icon" type="button" title=${m.copy(field.label)} @click=${() => reveal.copy(value)}>
        ${icon(COPY)}<span class="visually-hidden">${m.copy(field.label)}</span>
      </button>
    </span>`;
}
