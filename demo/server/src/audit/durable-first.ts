/**
 * An audit line leaves the process (to the audit file, and from there to whoever collects it), so
 * it must not tell of a commit that a power cut could still take back: while a commit is not yet
 * durable (Store.durable), lines are held and written, in order, once it is. With nothing to wait
 * for, a line is written at once, as without this sink.
 *
 * After a failed sync of the database's log (nothing is known to be durable any more, and every
 * answer fails until a restart) the held lines are written all the same: auditing must not stop
 * silently (PCI DSS 10.x), and a line about an attempt is better than none.
 *
 * Written by hand: which lines wait, and for what, is this product's own rule.
 */
import type { Store } from '../storage/types.js';
import type { AuditEntry, AuditSink } from './audit.js';

/** The sink, and a way to wait for the lines it holds. */
export interface DurableFirstSink extends AuditSink {
  /** Resolves once every line held so far has been written to the sink (the app waits for it as it closes). */
  drained(): Promise<void>;
}

/** `sink`, writing each line only once every commit made before it is durable. */
export function durableFirst(sink: AuditSink, store: Pick<Store, 'durable' | 'isDurable'>): DurableFirstSink {
  let held: AuditEntry[] = [];
  let draining: Promise<void> | undefined;

  /** Write the held lines, a batch at a time, each after a wait that began once its last line was held. */
  const drain = async () => {
    while (held.length > 0) {
      const batch = held;
      held = [];
      await store.durable().catch(() => undefined);
      for (const line of batch) sink.write(line);
    }
    draining = undefined;
  };

  return {
    write(entry) {
      // Lines already held go first: a later line never overtakes them.
      if (!draining && store.isDurable()) return sink.write(entry);
      held.push(entry);
      draining ??= drain();
    },
    ...(sink.purge ? { purge: (before: number) => sink.purge!(before) } : {}),
    ...(sink.writable ? { writable: () => sink.writable!() } : {}),
    drained: async () => {
      await draining;
    },
    async close() {
      await draining;
      await sink.close?.();
    },
  };
}
