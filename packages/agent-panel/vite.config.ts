import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * One self-contained ES module that defines <secure-form-panel>, with lit, zod/mini and jose
 * bundled in, served by the brand origin as /secure-forms/panel.js.
 */
export default defineConfig({
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: resolve(here, 'src/secure-form-panel.ts'),
      formats: ['es'],
      fileName: () => 'secure-form-panel.js',
    },
    rolldownOptions: {
      output: { minify: true },
    },
  },
});
