import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { pruneLocales } from './vite.prune-locales.js';

/**
 * The loader: the one script a brand adds, minified (lib mode leaves ES output unminified unless
 * asked). Two builds, because a classic script cannot load chunks:
 * - default mode: the ES module `secure-forms-loader.js`; non-English locales are separate chunks
 *   in `locales/`, loaded only for a visitor who needs one;
 * - `--mode iife`: the classic script `secure-forms-loader.iife.js` (global `SecureForms`), every
 *   locale inlined.
 */
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    plugins: [
      // The host script's locale chunks carry the invitation's strings only, not the frame's.
      pruneLocales(fileURLToPath(new URL('src/loader.ts', import.meta.url)), fileURLToPath(new URL('tsconfig.json', import.meta.url))),
      {
        name: 'locale-str-tag',
        enforce: 'pre' as const,
        // Locale chunks get their own `str`, so the loader shares no chunk with them.
        resolveId(source: string, importer: string | undefined) {
          if (source === '@lit/localize' && importer && /generated[\\/]locales[\\/]/.test(importer)) {
            return fileURLToPath(new URL('src/generated/str-tag.ts', import.meta.url));
          }
          return null;
        },
      },
    ],
    root: fileURLToPath(new URL('.', import.meta.url)),
    publicDir: false,
    build: {
      outDir: 'dist/loader',
      emptyOutDir: !iife,
      target: 'es2022',
      sourcemap: false,
      lib: {
        entry: fileURLToPath(new URL('src/loader.ts', import.meta.url)),
        formats: [iife ? 'iife' : 'es'],
        name: 'SecureForms',
        fileName: () => (iife ? 'secure-forms-loader.iife.js' : 'secure-forms-loader.js'),
      },
      rolldownOptions: {
        output: {
          minify: true,
          ...(iife ? { codeSplitting: false } : { chunkFileNames: 'locales/[name]-[hash].js' }),
        },
        // The shared schemas are module-level zod calls; unused ones are pure and can go.
        treeshake: { manualPureFunctions: ['z'] },
      },
    },
  };
});
