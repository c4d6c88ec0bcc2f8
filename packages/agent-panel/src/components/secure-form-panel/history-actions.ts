/**
 * The manager's view of a conversation's past responses (history mode): the list, and the
 * on-the-record answers of one response at a time, each opened with a key pair made for that one
 * view and dropped with it.
 */
import { localize } from '@secure-forms/shared';
import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { isAbortError, type PanelApiClient } from '../../internal/api-client.js';
import { problemCode } from '../../internal/problems.js';
import type { HistoryItem, Retrieval } from './invitation-ledger.js';
import * as m from './messages.js';
import { openHistoryView } from './open-answers.js';
import type { PanelContext, PanelHost } from './panel-context.js';
import { SecureFormPanelErrorEvent } from './secure-form-panel.events.js';

/**
 * Lists the responses and opens or closes their answers, for the panel's open scope. No
 * lifecycle of its own: the host calls `clear()` when it drops everything.
 */
export class HistoryActions {
  readonly #host: PanelHost;
  readonly #ctx: PanelContext;
  #items: HistoryItem[] | null = null;

  constructor(host: PanelHost, context: PanelContext) {
    this.#host = host;
    this.#ctx = context;
  }

  /** The conversation's past responses, once listed (`null` before). */
  get items(): HistoryItem[] | null {
    return this.#items;
  }

  /** Forget the list and every opened answer. */
  clear(): void {
    this.#items = null;
  }

  /** List the conversation's past responses. */
  async load(api: PanelApiClient): Promise<void> {
    try {
      const responses = await api.listHistory(this.#host.conversationId);
      if (api.closed) return;
      this.#setItems(responses.map((entry) => ({ entry, view: { status: 'idle' } })));
    } catch (error) {
      if (api.closed || isAbortError(error)) return;
      this.#setItems([]);
      this.#ctx.fail(problemCode(error));
    }
  }

  /** One view, one key pair: made here, used once to open, then dropped with this scope. */
  async open(item: HistoryItem): Promise<void> {
    const { scope, focus, live } = this.#ctx;
    const api = scope.api;
    if (!api || item.view.status === 'retrieving') return;
    this.#setView(item, { status: 'retrieving' });
    try {
      const { privateKey, publicJwk } = await generateInvitationKeyPair();
      const response = await api.historyView(item.entry.submissionId, publicJwk);
      if (api.closed) return;
      const ready = await openHistoryView(item.entry, response, privateKey, this.#ctx.forms(), this.#ctx.locale());
      if (api.closed) return;
      this.#setView(item, ready);
      focus.after(`#answers-${item.entry.submissionId}`);
      void live.announce(m.answersReady());
    } catch (error) {
      if (api.closed || isAbortError(error)) return;
      const code = problemCode(error);
      this.#setView(item, { status: 'failed', code });
      this.#host.dispatchEvent(new SecureFormPanelErrorEvent({ code }));
    }
  }

  /** Drop one response's answers from memory and the DOM. */
  close(item: HistoryItem): void {
    const { reveal, focus, live } = this.#ctx;
    if (reveal.revealedKey?.startsWith(`h-${item.entry.submissionId}:`)) reveal.hide();
    this.#setView(item, { status: 'idle' });
    focus.after(`#view-${item.entry.submissionId}`);
    void live.announce(m.answersHidden(localize(item.entry.formTitle, this.#ctx.locale())));
  }

  #setItems(items: HistoryItem[]): void {
    this.#items = items;
    this.#host.requestUpdate();
  }

  #setView(item: HistoryItem, view: Retrieval): void {
    item.view = view;
    this.#host.requestUpdate();
  }
}
