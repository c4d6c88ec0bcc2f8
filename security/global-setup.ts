/** Start the demo once for the whole security run, on its own ports, data directory and sites file. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './env.js';
import { startServer, writeSitesFile } from './server.js';

export default async function globalSetup(): Promise<void> {
  for (const built of [
    'demo/pages/dist/index.html',
    'packages/consumer-widget/dist/frame/index.html',
    'packages/agent-panel/dist/secure-form-panel.js',
  ]) {
    if (!existsSync(join(REPO_ROOT, built))) throw new Error(`${built} is missing: run npm run build first (npm run test:security does).`);
  }
  writeSitesFile();
  await startServer();
}
