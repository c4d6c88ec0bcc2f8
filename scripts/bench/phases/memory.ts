// The bench's memory measurement: a fresh demo process filled with open invitations, then as many
// off-the-record values.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { agentSetup } from '../agent-setup.mjs';
import { measureMemory } from '../memory.mjs';
import { memorySitesFile, startDemo } from '../processes.mjs';

/** Measure into `results.memory` on the demo's ports; a note when the fill fell short. */
export async function memoryPhase({ ports, settings, results, log }) {
  const sitesFile = memorySitesFile(settings.memoryCount);
  const demo = await startDemo({ port: ports.brand, pciPort: ports.pci, label: 'memory', sitesFile, gcOnSignal: true });
  try {
    const agent = await agentSetup(demo);
    results.memory = await measureMemory({ demo, ...agent, publicJwk: agent.keys.publicJwk, count: settings.memoryCount, log });
    if (results.memory.openInvitations < settings.memoryCount || results.memory.offTheRecordValues < settings.memoryCount) {
      results.notes.push(
        `The memory run completed ${results.memory.openInvitations} open invitations and ${results.memory.offTheRecordValues} off-the-record values of ${settings.memoryCount} each.`,
      );
    }
  } finally {
    await demo.stop();
    rmSync(demo.dataDir, { recursive: true, force: true });
    rmSync(join(sitesFile, '..'), { recursive: true, force: true });
  }
}
