import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The form frame page, served by the PCI origin at `/frame/`. */
export default defineConfig({
  root: fileURLToPath(new URL('src/frame', import.meta.url)),
  base: '/frame/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('dist/frame', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Non-English strings load only for a visitor who needs them (see src/localization.ts).
        chunkFileNames: (chunk) => (chunk.name.length === 2 ? 'assets/locales/[name]-[hash].js' : 'assets/[name]-[hash].js'),
      },
      // The shared schemas are module-level zod calls; unused ones are pure and can go.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
});
