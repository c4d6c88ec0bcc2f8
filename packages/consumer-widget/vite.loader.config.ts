import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundlePreset, localeStrTag } from '../../vite.config.ts';
import { pruneLocales } from './vite.prune-locales.js';

/**
 * The loader: the one script a brand adds. Two builds, because a classic script cannot load chunks:
 * - default mode: the ES module `secure-forms-loader.js`; non-English locales are separate chunks
 *   in `locales/`, loaded only for a visitor who needs one;
 * - `--mode iife`: the classic script `secure-forms-loader.iife.js` (global `SecureForms`), every
 *   locale inlined.
 */
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return bundlePreset({
    plugins: [
      // The host script's locale chunks carry the invitation's strings only, not the frame's.
      pruneLocales(fileURLToPath(new URL('src/loader.ts', import.meta.url)), fileURLToPath(new URL('tsconfig.json', import.meta.url))),
      localeStrTag(),
      // The theme's CSS text (src/styles/theme.ts) minified, as the frame's build minifies it; the
      // loader's other modules are left as written.
      minifyHtmlLiterals({ filter: (id) => /[\\/]consumer-widget[\\/]src[\\/]styles[\\/]theme\.ts$/.test(id), failOnError: true }),
    ],
    root: fileURLToPath(new URL('.', import.meta.url)),
    build: {
      outDir: 'dist/loader',
      // The iife build writes beside the ES build.
      emptyOutDir: !iife,
      lib: {
        entry: fileURLToPath(new URL('src/loader.ts', import.meta.url)),
        formats: [iife ? 'iife' : 'es'],
        name: 'SecureForms',
        fileName: () => (iife ? 'secure-forms-loader.iife.js' : 'secure-forms-loader.js'),
      },
      rolldownOptions: {
        output: iife ? { codeSplitting: false } : { chunkFileNames: 'locales/[name]-[hash].js' },
      },
    },
  });
});
