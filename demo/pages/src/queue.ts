/**
 * The workspace's queue: its first page at each sign-in, older pages on "Show older
 * conversations", and the conversations events bring, all in the server's order; where focus
 * goes as the list changes (WCAG 2.4.3). Each sign-in starts it afresh with that session's signal:
 * a page that comes after the session ended is dropped, never added to the next operator's queue.
 */
import { compareQueueOrder, type Conversation, type ConversationListResponse } from '@secure-forms/shared';
import { html, render, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** The most pages one press of "Show older conversations" asks for while they add nothing to show. */
export const PAGES_PER_PRESS = 5;

export interface QueueView {
  list: HTMLUListElement;
  /** "Loading conversations…", shown until the first page comes. */
  loading: HTMLElement;
  /** "No conversations yet", shown when the first page came and nothing is shown. */
  empty: HTMLElement;
  /** The queue's heading: focus goes there after the last page when the list is empty. */
  heading: HTMLElement;
  /** A page of the queue: the first, or the one after `cursor`. */
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<ConversationListResponse>;
  /** Whether this operator sees `c` (agents do not see closed conversations). */
  shown: (c: Conversation) => boolean;
  /** Where `c` stands, from this operator's side ("Waiting"). */
  state: (c: Conversation) => string;
  /** The item's button (take, open), if any. */
  action: (c: Conversation) => TemplateResult | null;
  say: (text: string) => void;
  describe: (error: unknown) => string;
}

export interface Queue {
  /**
   * A new session: the previous operator's queue goes at once (before this first awaits: events
   * may come from then on), and the first page loads with `signal` (the session's; it aborts when
   * the session ends). Resolves once the page is in, failed, or was dropped.
   */
  start: (signal: AbortSignal) => Promise<void>;
  get: (id: string) => Conversation | undefined;
  /** A conversation as it is now (from an event or an answer): added, or moved to its place. */
  put: (c: Conversation) => void;
}

const itemId = (c: Conversation) => `queue-${c.id}`;

export function setUpQueue(view: QueueView): Queue {
  let conversations = new Map<string, Conversation>();
  /** Where the next page of the queue starts; undefined when the last page was loaded. */
  let nextPage: string | undefined;
  /** The first page of the queue: until it comes the queue says it is loading, never that it is empty. */
  let firstPage: 'loading' | 'loaded' | 'failed' = 'loading';
  /** A press of "Show older conversations" is loading pages: another press waits for it. */
  let loadingOlder = false;
  /** The session the queue belongs to; answers asked for under another are dropped. */
  let session: AbortSignal = AbortSignal.abort();

  /** What this operator sees, in the server's order (compareQueueOrder follows the server's queue). */
  const listed = () => [...conversations.values()].filter(view.shown).sort(compareQueueOrder);

  function renderQueue(): void {
    const mine = listed();
    view.loading.hidden = firstPage !== 'loading';
    view.empty.hidden = firstPage !== 'loaded' || mine.length > 0;
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && view.list.contains(active) ? active : null;
    const focusedItem = focused?.closest<HTMLElement>('li[id^="queue-"]');
    // The items listed after the focused one's, nearest first: where focus goes if it leaves.
    const shownBefore = [...view.list.querySelectorAll<HTMLElement>('li[id^="queue-"]')].map((li) => li.id);
    const following = focusedItem ? shownBefore.slice(shownBefore.indexOf(focusedItem.id) + 1) : [];
    // Keyed by conversation: a node (and the focus in it) stays with its conversation when others
    // come, go or move, instead of being reused in place for whichever conversation is there now.
    // Each item can take focus (tabindex=-1, not a tab stop) and is named by its visitor and state:
    // "Show older conversations" moves focus to the first item it brings, and a screen reader says
    // who that is and where they stand, as the agent would read it; Tab then reaches its button.
    render(
      html`${repeat(
        mine,
        (c) => c.id,
        (c) =>
          html`<li id=${itemId(c)} tabindex="-1" aria-labelledby="${itemId(c)}-name ${itemId(c)}-state">
            <strong id="${itemId(c)}-name">${c.visitorName}</strong>
            <span id="${itemId(c)}-state">${view.state(c)}</span>
            ${view.action(c)}
          </li>`,
      )}
      ${nextPage ? html`<li><button type="button" class="secondary" @click=${showOlder}>Show older conversations</button></li>` : null}`,
      view.list,
    );
    // Focus workaround (WCAG 2.4.3): a conversation whose state changed moves to its place, and
    // the browser drops the focus of a node moved in the DOM to the body; so does the removal of
    // the button that had it (another agent took the conversation). Focus goes back to the same
    // control, or to its conversation's item, instead of falling to the top of the page.
    if (focused && focusedItem?.isConnected && document.activeElement !== focused) {
      (focused.isConnected ? focused : focusedItem).focus();
    } else if (focusedItem && !focusedItem.isConnected) {
      // Focus workaround (WCAG 2.4.3): the focused conversation left the queue (closed, for an
      // agent), and focus fell with its item to the body, the top of the page. It goes to the
      // conversation that came next in the queue, where the agent's reading was heading, or to the
      // queue's heading when none came after it.
      const next = following.map((id) => document.getElementById(id)).find((li) => li && view.list.contains(li));
      (next ?? view.heading).focus();
    }
  }

  /**
   * Load a page of the queue (the first, or the one after `cursor`) and add it to the list;
   * undefined when it failed (the status says why) or the session ended meanwhile (dropped).
   */
  async function loadPage(cursor?: string): Promise<Conversation[] | undefined> {
    const signal = session;
    try {
      const page = await view.fetchPage(cursor, signal);
      if (signal.aborted) return undefined;
      for (const c of page.conversations) conversations.set(c.id, c);
      nextPage = page.next;
      firstPage = 'loaded';
      renderQueue();
      return page.conversations;
    } catch (error) {
      // Aborted as the session ended: nobody is waiting for it any more, and nothing is said.
      if (signal.aborted) return undefined;
      view.say(view.describe(error));
      if (!cursor) {
        firstPage = 'failed';
        renderQueue();
      }
      return undefined;
    }
  }

  /**
   * "Show older conversations": the next page, then focus on the first conversation it adds (the
   * button goes after the last page, and focus must not fall to the body: WCAG 2.4.3). A page that
   * adds nothing this operator sees (already listed, or closed ones an agent does not see) is
   * followed by the next, up to PAGES_PER_PRESS pages; if none of them adds anything the status
   * says so, and after the last page focus goes to the last conversation, where the button was.
   * On failure focus stays put.
   */
  async function showOlder(event: Event): Promise<void> {
    const button = event.currentTarget as HTMLButtonElement;
    if (loadingOlder || !nextPage) return;
    const signal = session;
    loadingOlder = true;
    const before = new Set(listed().map((c) => c.id));
    let first: Conversation | undefined;
    try {
      for (let pages = 0; !first && nextPage && pages < PAGES_PER_PRESS; pages++) {
        const page = await loadPage(nextPage);
        if (!page) return;
        first = page.find((c) => !before.has(c.id) && view.shown(c));
      }
    } finally {
      // A new session has reset it already: a press of the new operator's may be loading.
      if (signal === session) loadingOlder = false;
    }
    // Focus is moved only from the button (or the body, where it falls when the button goes): if
    // the agent moved on while the page loaded, it stays where they put it.
    const focus = document.activeElement;
    if (focus !== button && focus !== document.body && focus !== null) return;
    if (first) {
      document.getElementById(itemId(first))?.focus();
    } else if (nextPage) {
      view.say(`No conversations to show on the next ${PAGES_PER_PRESS} pages. There are older ones still.`);
    } else {
      view.say('No older conversations.');
      const last = view.list.lastElementChild as HTMLLIElement | null;
      (last ?? view.heading).focus();
    }
  }

  return {
    async start(signal) {
      session = signal;
      conversations = new Map();
      nextPage = undefined;
      loadingOlder = false;
      // The previous operator's queue goes at once; "Loading conversations…" stands in its place.
      firstPage = 'loading';
      renderQueue();
      await loadPage();
    },
    get: (id) => conversations.get(id),
    put(c) {
      conversations.set(c.id, c);
      renderQueue();
    },
  };
}
