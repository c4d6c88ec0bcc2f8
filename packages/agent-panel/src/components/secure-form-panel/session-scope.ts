/**
 * The scope of one (session, conversation): its API client and the AbortController that ends its
 * requests and streams. Async work keeps the client it started with and drops its result once
 * that client is `closed` (the scope was closed meanwhile, even if another one opened since).
 */
import { PanelApiClient } from '../../internal/api-client.js';

/** At most one open scope at a time; closing it aborts everything it started. */
export class SessionScope {
  #abort: AbortController | null = null;
  #api: PanelApiClient | null = null;

  /** The open scope's API client, or `null` when closed. */
  get api(): PanelApiClient | null {
    return this.#api;
  }

  /** Open a scope on `origin` with `session`; returns its client and the signal that ends it. */
  open(origin: string, session: string): { api: PanelApiClient; signal: AbortSignal } {
    this.close();
    const abort = new AbortController();
    this.#abort = abort;
    this.#api = new PanelApiClient(origin, session, abort.signal);
    return { api: this.#api, signal: abort.signal };
  }

  /** Abort every request and stream of the open scope: its client is `closed` from now on. */
  close(): void {
    this.#abort?.abort();
    this.#abort = this.#api = null;
  }
}
