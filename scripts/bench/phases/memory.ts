// The bench's memory measurement: a fresh demo process filled with open invitations, then as many
// off-the-record values.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { agentSetup } from '../agent-setup.ts';
import { measureMemory } from '../memory.ts';
import { type Ports, memorySitesFile, startDemo } from '../processes.ts';
import type { BenchSettings, Results } from '../results.ts';

/** Measure into `results.memory` on the demo's ports; a note when the fill fell short. */
export async function memoryPhase({
  ports,
  settings,
  results,
  log,
}: {
  ports: Ports;
  settings: BenchSettings;
  results: Results & { notes: string[] };
  log: (line: string) => void;
}): Promise<void> {
  const sitesFile = memorySitesFile(settings.memoryCount);
  const demo = await startDemo({ port: ports.brand, pciPort: ports.pci, label: 'memory', sitesFile, gcOnSignal: true });
  try {
    const agent = await agentSetup(demo);
    const memory = await measureMemory({ demo, ...agent, publicJwk: agent.keys.publicJwk, count: settings.memoryCount, log });
    results.memory = memory;
    if (memory.openInvitations < settings.memoryCount || memory.offTheRecordValues < settings.memoryCount) {
      results.notes.push(
        `The memory run completed ${memory.openInvitations} open invitations and ${memory.offTheRecordValues} off-the-record values of ${settings.memoryCount} each.`,
      );
    }
  } finally {
    await demo.stop();
    rmSync(demo.dataDir, { recursive: true, force: true });
    rmSync(join(sitesFile, '..'), { recursive: true, force: true });
  }
}
