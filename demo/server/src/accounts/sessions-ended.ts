/**
 * Sessions that just ended, told to whoever holds something of theirs open (the event streams,
 * which close at once rather than at their next check).
 */

/**
 * One at sign-out, all of an operator's when a lock landed, or all but the one that changed the
 * operator's password.
 */
export type SessionsEnded =
  | { kind: 'logout'; tokenHash: string }
  | { kind: 'lock'; operatorId: string; siteId: string; at: number }
  | { kind: 'password-change'; operatorId: string; keptTokenHash: string };

/** The listeners to ended sessions. */
export class SessionsEndedListeners {
  private readonly listeners = new Set<(ended: SessionsEnded) => void | Promise<void>>();

  /** Add a listener; returns its removal. */
  add(listener: (ended: SessionsEnded) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tell the listeners; resolves when each is done (the streams' end is in the event log). */
  async tell(ended: SessionsEnded): Promise<void> {
    await Promise.all([...this.listeners].map(async (listener) => listener(ended)));
  }
}
