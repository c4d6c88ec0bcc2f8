/**
 * The event streams open in this process, so that a graceful shutdown can end each one with an
 * SSE `retry:` hint: the client reconnects after that long, and the load balancer sends it to an
 * instance that is not shutting down. (A stream never finishes by itself: without this, shutdown
 * would wait for the deadline and then cut them.)
 */

/** Ends one stream: write the hint, then close. */
export type EndStream = (retryMs: number) => Promise<void>;

export class OpenStreams {
  private readonly ends = new Set<EndStream>();
  private retryMs: number | undefined;

  /** Register an open stream; returns its unregister. A stream opened during shutdown is ended at once. */
  add(end: EndStream): () => void {
    if (this.retryMs !== undefined) {
      void end(this.retryMs);
      return () => undefined;
    }
    this.ends.add(end);
    return () => this.ends.delete(end);
  }

  /** End every open stream (and every one opened from now on) with the hint `retryMs`. */
  async endAll(retryMs: number): Promise<void> {
    this.retryMs = retryMs;
    const ending = [...this.ends];
    this.ends.clear();
    await Promise.allSettled(ending.map((end) => end(retryMs)));
  }

  get size(): number {
    return this.ends.size;
  }
}
