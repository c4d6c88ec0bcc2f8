import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { bundlePreset } from '../vite.config.ts';

const pages = resolve(import.meta.dirname, 'pages');

/** The example pages, served by the example chat server (examples/chat-server) from examples/dist. */
export default defineConfig(
  bundlePreset({
    root: pages,
    build: {
      outDir: resolve(import.meta.dirname, 'dist'),
      rolldownOptions: {
        input: Object.fromEntries(['index', 'deep-chat', 'chatscope', 'agent'].map((name) => [name, resolve(pages, `${name}.html`)])),
      },
    },
  }),
);
