// Which measurements a bench run takes (`--only`).

/** Every measurement `--only` names, in the order the bench takes them. */
export const MEASUREMENTS = ['sizes', 'browser', 'open', 'load', 'memory', 'cluster'] as const;
/** One of them. */
export type Measurement = (typeof MEASUREMENTS)[number];

/**
 * The measurements `--only` asks for (every one without it). `open` is the open-to-interactive
 * part of `browser` alone (over loopback and on the slow network), for trying out a change to the
 * open path without the other browser measurements; `browser` includes it. Throws on a name it
 * does not know, saying which it knows.
 */
export function measurementsOf(only: string | undefined): Set<Measurement> {
  if (only === undefined) return new Set(MEASUREMENTS.filter((m) => m !== 'open'));
  const asked = only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (asked.length === 0) throw new Error(`--only: name at least one measurement (known: ${MEASUREMENTS.join(', ')})`);
  for (const name of asked) {
    if (!(MEASUREMENTS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown measurement "${name}" (known: ${MEASUREMENTS.join(', ')})`);
    }
  }
  const set = new Set(asked as Measurement[]);
  // `browser` takes open to interactive as one of its measurements.
  if (set.has('browser')) set.delete('open');
  return set;
}

/** Whether the browser measurements run, and whether all of them or open to interactive only. */
export function browserMeasurements(measurements: ReadonlySet<Measurement>): 'all' | 'open' | 'none' {
  if (measurements.has('browser')) return 'all';
  return measurements.has('open') ? 'open' : 'none';
}
