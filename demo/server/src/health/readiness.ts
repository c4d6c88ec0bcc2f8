/**
 * Readiness: whether this instance should get traffic. Named checks (the database answers; later
 * Redis) each with a short timeout; the result is kept for a moment, so a flood of anonymous
 * probes costs at most one round of checks per `cacheMs`, and probes that arrive while a round
 * runs share it. From stop() on (graceful shutdown), not ready, without asking anyone.
 */
import type { Logger } from '../logger.js';

/** One thing the instance needs: resolves when it answers, throws (or never settles) when not. */
export interface ReadinessCheck {
  /** A short stable name (`database`, `redis`): the only thing the answer says about it. */
  name: string;
  check: () => Promise<void> | void;
}

/** How a check went: answered, threw, or did not answer within the timeout. */
export type CheckStatus = 'ok' | 'failed' | 'timed-out';

export interface ReadinessReport {
  ready: boolean;
  /** The instance is shutting down: not ready whatever the checks say. */
  stopping: boolean;
  checks: Record<string, CheckStatus>;
}

export interface ReadinessOptions {
  /** How long each check may take (ms); default 1000. */
  timeoutMs?: number;
  /** How long a result is reused (ms, on the app clock); default 1000. */
  cacheMs?: number;
  clock: () => number;
  logger: Logger;
}

export class Readiness {
  private stopping = false;
  private cached: { at: number; report: ReadinessReport } | undefined;
  private running: Promise<ReadinessReport> | undefined;
  private readonly last = new Map<string, CheckStatus>();
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly options: ReadinessOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.cacheMs = options.cacheMs ?? 1000;
  }

  /** From now on the instance reports itself not ready (graceful shutdown's first step). */
  stop(): void {
    this.stopping = true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** The current report: cached for `cacheMs`, one round of checks at a time. */
  async report(): Promise<ReadinessReport> {
    if (this.stopping) return { ready: false, stopping: true, checks: {} };
    const now = this.options.clock();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.report;
    this.running ??= this.run().finally(() => (this.running = undefined));
    const report = await this.running;
    this.cached = { at: now, report };
    return this.stopping ? { ready: false, stopping: true, checks: {} } : report;
  }

  private async run(): Promise<ReadinessReport> {
    const statuses = await Promise.all(this.checks.map((c) => this.one(c)));
    const checks: Record<string, CheckStatus> = {};
    this.checks.forEach((c, i) => (checks[c.name] = statuses[i]!));
    return { ready: statuses.every((s) => s === 'ok'), stopping: false, checks };
  }

  private async one({ name, check }: ReadinessCheck): Promise<CheckStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckStatus>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), this.timeoutMs);
      timer.unref();
    });
    const status = await Promise.race([
      (async () => {
        await check();
        return 'ok' as const;
      })().catch(() => 'failed' as const),
      timeout,
    ]).finally(() => clearTimeout(timer));
    // One line when a check changes state, not one per probe; never the driver's error (it may
    // hold a host name, a user or a password from the connection string).
    const before = this.last.get(name);
    if (before !== status && !(before === undefined && status === 'ok')) {
      if (status === 'ok') this.options.logger.info({ check: name }, 'readiness check answers again');
      else this.options.logger.warn({ check: name, status }, 'readiness check failed');
    }
    this.last.set(name, status);
    return status;
  }
}
