import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { bundlePreset } from '../../vite.config.ts';

const here = import.meta.dirname;

/** The demo's brand pages: the visitor's chat (`/`) and the agent workspace (`/agent`). */
export default defineConfig(
  bundlePreset({
    root: here,
    build: {
      outDir: resolve(here, 'dist'),
      rolldownOptions: {
        input: { index: resolve(here, 'index.html'), agent: resolve(here, 'agent.html') },
      },
    },
  }),
);
