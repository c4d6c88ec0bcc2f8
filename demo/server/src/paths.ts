/** Where things are, relative to the repository root (resolved from this file, not the cwd). */
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppPaths } from './app.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export function defaultPaths(root = REPO_ROOT): AppPaths {
  return {
    frameDist: join(root, 'packages/consumer-widget/dist/frame'),
    pagesDist: join(root, 'demo/pages/dist'),
    loaderDist: join(root, 'packages/consumer-widget/dist/loader'),
    panelDist: join(root, 'packages/agent-panel/dist'),
  };
}

/** `SECURE_FORMS_DATA_DIR`, relative paths taken from the repository root; default demo/.data. */
export function dataDir(fromEnv: string | undefined, root = REPO_ROOT): string {
  if (!fromEnv) return join(root, 'demo/.data');
  return isAbsolute(fromEnv) ? fromEnv : resolve(root, fromEnv);
}
