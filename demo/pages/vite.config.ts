import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/** The demo's brand pages: the visitor's chat (`/`) and the agent workspace (`/agent`). */
export default defineConfig({
  root: here,
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      input: { index: resolve(here, 'index.html'), agent: resolve(here, 'agent.html') },
    },
  },
});
