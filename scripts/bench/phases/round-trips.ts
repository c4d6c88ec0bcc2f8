// The bench's backend measurement: full round trips under autocannon at each concurrency, against
// the demo, the bare Hono route and the essential-work floor, in the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../agent-setup.ts';
import type { VisitorConversation } from '../api.ts';
import { type RunHooks, STEPS, bareSequence, demoSequence, essentialSequence, measure } from '../load.ts';
import { cpuMsOf } from '../proc.ts';
import type { Bare, Demo } from '../processes.ts';
import type { BackendResults, BenchSettings, DemoFigures, EssentialFigures, RoundTripRow } from '../results.ts';
import { ROOT } from '../sizes.ts';
import { ratio, round } from '../stats.ts';

/** One concurrency's row of results.json: the three servers' figures and the demo's ratios to the floors. */
export function roundTripRow<F extends { requestsPerSecond: number | null; roundTripsPerSecond: number | null }>(
  connections: number,
  demo: F,
  bare: F,
  essential: F,
): { connections: number; demo: F; bare: F; essential: F; overheadRatio: number | null; essentialRatio: number | null } {
  return {
    connections,
    demo,
    bare,
    essential,
    overheadRatio: ratio(bare.requestsPerSecond, demo.requestsPerSecond),
    // Time per round trip ÷ the essential work's = its round trips/s ÷ the demo's.
    essentialRatio: ratio(essential.roundTripsPerSecond, demo.roundTripsPerSecond),
  };
}

/** `run`'s figures with the CPU time (user + system) process `pid` spent during it, in all and per round trip. */
export async function withCpuOf<T extends { roundTrips: number }>(pid: number, run: () => Promise<T>) {
  const before = cpuMsOf(pid);
  const figures = await run();
  const after = cpuMsOf(pid);
  const cpuMs = before === null || after === null ? null : after - before;
  return { ...figures, cpuMs, cpuMsPerRoundTrip: cpuMs === null || figures.roundTrips === 0 ? null : round(cpuMs / figures.roundTrips, 2) };
}

/** Measure every concurrency of `settings`; resolves to `results.backend`. */
export async function measureRoundTrips({
  demo,
  bare,
  agent,
  settings,
  log,
}: {
  demo: Demo;
  bare: Bare;
  agent: Agent;
  settings: BenchSettings;
  log: (line: string) => void;
}): Promise<BackendResults> {
  const retrieveOtks = new Map<string, string>();
  const events = await agent.api.agentEvents(agent.session, (e) => {
    if (e.type === 'submission') retrieveOtks.set(e.submissionId, e.retrieveOtk);
  });
  try {
    const conversationsFor = async (n: number) => {
      const list: VisitorConversation[] = [];
      for (let i = 0; i < n; i++) {
        const conversation = await agent.api.startConversation(`Load visitor ${n}-${i + 1}`);
        await agent.api.assign(agent.session, conversation.id);
        list.push(conversation);
      }
      return list;
    };
    const common = { session: agent.session, publicJwk: agent.keys.publicJwk, envelopes: agent.envelopes };
    // The demo's own CPU time (user + system) per round trip, and its event loop's delay, during the run.
    const demoRun = async (connections: number, conversations: VisitorConversation[], duration: number): Promise<DemoFigures> => {
      await demo.loopDelay('reset');
      const figures = await withCpuOf(demo.pid, () =>
        measure({
          url: demo.pciOrigin,
          connections,
          duration,
          makeRequests: (x: RunHooks) => demoSequence({ ...common, conversations, retrieveOtks, ...x }),
        }),
      );
      return { ...figures, loopDelayMs: await demo.loopDelay('read') };
    };
    // The floor's CPU time per round trip too: the bare server's process serves nothing else during the run.
    const essentialRun = (connections: number, conversations: VisitorConversation[], duration: number): Promise<EssentialFigures> =>
      withCpuOf(bare.pid, () =>
        measure({
          url: bare.origin,
          connections,
          duration,
          makeRequests: (x) => essentialSequence({ ...common, conversations, ...x }),
        }),
      );
    const bareRun = (connections: number, conversations: VisitorConversation[], duration: number) =>
      measure({ url: bare.origin, connections, duration, makeRequests: (x) => bareSequence({ ...common, conversations, ...x }) });
    // Warm both servers up (JIT, SQLite pages) before anything counts.
    const warm = await conversationsFor(16);
    await demoRun(16, warm, 3);
    await bareRun(16, warm, 2);
    await essentialRun(16, warm, 2);
    retrieveOtks.clear();
    const rows: RoundTripRow[] = [];
    for (const connections of settings.concurrencies) {
      const conversations = await conversationsFor(connections);
      const demoFigures = await demoRun(connections, conversations, settings.durationSeconds);
      retrieveOtks.clear();
      const bareFigures = await bareRun(connections, conversations, settings.durationSeconds);
      const essentialFigures = await essentialRun(connections, conversations, settings.durationSeconds);
      const row = roundTripRow(connections, demoFigures, bareFigures, essentialFigures);
      rows.push(row);
      log(
        `   concurrency ${connections}: ${demoFigures.roundTripsPerSecond} round trips/s (${demoFigures.requestsPerSecond} requests/s, p50 ${demoFigures.latencyMs.p50} ms, ` +
          `p99 ${demoFigures.latencyMs.p99} ms); bare ${bareFigures.requestsPerSecond} requests/s (p99 ${bareFigures.latencyMs.p99} ms); per request ${row.overheadRatio}× the bare route`,
      );
      log(
        `   server CPU ${demoFigures.cpuMsPerRoundTrip} ms per round trip; event-loop delay p99 ${demoFigures.loopDelayMs?.p99} ms; ` +
          `essential-work floor ${essentialFigures.roundTripsPerSecond} round trips/s (CPU ${essentialFigures.cpuMsPerRoundTrip} ms per round trip): ` +
          `time per round trip ${row.essentialRatio}× the floor`,
      );
      const gc = demoFigures.loopDelayMs?.gc;
      if (gc) log(`   GC pauses: ${gc.count} (longest ${gc.longestMs} ms, ${gc.atLeast10Ms} of 10 ms or more, ${gc.totalMs} ms in all)`);
      const failed = Object.entries(demoFigures.failures).filter(([k]) => !k.startsWith('retrieve deferred'));
      if (failed.length > 0) log(`   failed requests: ${failed.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    }
    const autocannonVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')) as { version: string })
      .version;
    return {
      autocannon: autocannonVersion,
      durationSeconds: settings.durationSeconds,
      stepsPerRoundTrip: STEPS.length,
      steps: STEPS,
      rows,
    };
  } finally {
    events.close();
  }
}
