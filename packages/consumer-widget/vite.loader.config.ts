import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The loader: the one script a brand adds. ES module and classic script, lit bundled in,
 * minified (lib mode leaves ES output unminified unless asked).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: 'dist/loader',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('src/loader.ts', import.meta.url)),
      formats: ['es', 'iife'],
      name: 'SecureForms',
      fileName: (format) => (format === 'es' ? 'secure-forms-loader.js' : 'secure-forms-loader.iife.js'),
    },
    rolldownOptions: {
      output: { minify: true },
      // The shared schemas are module-level zod calls; unused ones are pure and can go.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
});
