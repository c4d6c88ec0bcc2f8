// Where a round trip's CPU goes: after the measured runs, a short run at one concurrency against a
// fresh demo started with node's --cpu-prof, and the same against a fresh essential-work floor
// (bare-server.mjs), so profiling never touches the reported figures. node writes each thread's
// profile when the process exits; only the samples taken during the profiled run count (the
// profiles' clock is CLOCK_MONOTONIC, as process.hrtime here), not the start-up or the warm-up.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentSetup } from '../agent-setup.ts';
import type { VisitorConversation } from '../api.ts';
import { demoSequence, essentialSequence, measure } from '../load.ts';
import { type Window, summarizeProfiles } from '../profile/summary.ts';
import { type Ports, benchSitesFile, startBare, startDemo } from '../processes.ts';
import type { ProfileResults, ProfiledRun } from '../results.ts';
import { withCpuOf } from './round-trips.ts';

/** node's default sampling interval (µs), written out so the report can say it. */
const INTERVAL_US = 1000;
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** node options that write the process's CPU profiles into `dir`. */
const profileArgs = (dir: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`];

/** The profiles node wrote into `dir` (one per thread); none is an error (a process that did not exit by itself writes none). */
function profilesIn(dir: string): Profiler.Profile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`node wrote no CPU profile into ${dir}`);
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profiler.Profile);
}

/** A measured run's figures with the window it took, on the profiles' clock. */
async function timed<T>(run: () => Promise<T>): Promise<{ figures: T; window: Window }> {
  const fromUs = nowUs();
  const figures = await run();
  return { figures, window: { fromUs, toUs: nowUs() } };
}

/** What a profiled run keeps of its measured figures. */
interface RunFigures {
  roundTrips: number;
  roundTripsPerSecond: number | null;
  cpuMs: number | null;
  cpuMsPerRoundTrip: number | null;
}

/** The profiled run's figures of a process once it has exited and written its profiles into `dir`. */
function profiledRun(figures: RunFigures, window: Window, dir: string): ProfiledRun {
  const { roundTrips, roundTripsPerSecond, cpuMs, cpuMsPerRoundTrip } = figures;
  return { roundTrips, roundTripsPerSecond, cpuMs, cpuMsPerRoundTrip, profile: summarizeProfiles(profilesIn(dir), { window }) };
}

/** Profile the demo and the essential-work floor at `connections` for `durationSeconds` each, on the main run's ports (free again by then). */
export async function profileRoundTrips({
  ports,
  connections,
  durationSeconds,
  log,
}: {
  ports: Ports;
  connections: number;
  durationSeconds: number;
  log: (line: string) => void;
}): Promise<ProfileResults> {
  const dir = mkdtempSync(join(tmpdir(), 'secure-forms-bench-profile-'));
  const demoDir = join(dir, 'demo');
  const floorDir = join(dir, 'floor');
  const results: ProfileResults = { connections, durationSeconds, intervalUs: INTERVAL_US, demo: null, essential: null };
  try {
    const demo = await startDemo({
      port: ports.brand,
      pciPort: ports.pci,
      label: 'profile',
      sitesFile: benchSitesFile(),
      nodeArgs: profileArgs(demoDir),
    });
    let demoRun: { figures: RunFigures; window: Window } | undefined;
    const agent = await agentSetup(demo);
    const common = { session: agent.session, publicJwk: agent.keys.publicJwk, envelopes: agent.envelopes };
    const conversations: VisitorConversation[] = [];
    try {
      for (let i = 0; i < connections; i++) {
        const conversation = await agent.api.startConversation(`Profiled visitor ${i + 1}`);
        await agent.api.assign(agent.session, conversation.id);
        conversations.push(conversation);
      }
      const retrieveOtks = new Map<string, string>();
      const events = await agent.api.agentEvents(agent.session, (e) => {
        if (e.type === 'submission') retrieveOtks.set(e.submissionId, e.retrieveOtk);
      });
      try {
        const run = (duration: number) =>
          withCpuOf(demo.pid, () =>
            measure({
              url: demo.pciOrigin,
              connections,
              duration,
              makeRequests: (x) => demoSequence({ ...common, conversations, retrieveOtks, ...x }),
            }),
          );
        await run(3); // JIT and SQLite pages warm, as before the measured runs
        demoRun = await timed(() => run(durationSeconds));
      } finally {
        events.close();
      }
    } finally {
      await demo.stop();
      rmSync(demo.dataDir, { recursive: true, force: true });
    }
    if (!demoRun) throw new Error('the profiled run of the demo did not complete');
    results.demo = profiledRun(demoRun.figures, demoRun.window, demoDir);
    log(`   demo: ${results.demo.roundTripsPerSecond} round trips/s, CPU ${results.demo.cpuMsPerRoundTrip} ms per round trip (profiled)`);

    const bare = await startBare({ port: ports.bare, floorPort: ports.floor, nodeArgs: profileArgs(floorDir) });
    let floorRun: typeof demoRun;
    try {
      const run = (duration: number) =>
        withCpuOf(bare.pid, () =>
          measure({ url: bare.origin, connections, duration, makeRequests: (x) => essentialSequence({ ...common, conversations, ...x }) }),
        );
      await run(2);
      floorRun = await timed(() => run(durationSeconds));
    } finally {
      await bare.stop();
    }
    if (!floorRun) throw new Error('the profiled run of the essential-work floor did not complete');
    results.essential = profiledRun(floorRun.figures, floorRun.window, floorDir);
    log(
      `   essential-work floor: ${results.essential.roundTripsPerSecond} round trips/s, CPU ${results.essential.cpuMsPerRoundTrip} ms per round trip (profiled)`,
    );
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
