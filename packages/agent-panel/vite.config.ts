import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { bundlePreset, localeStrTag } from '../../vite.config.ts';

const here = import.meta.dirname;

/**
 * One ES module that defines <secure-form-panel>, with lit, zod/mini and jose bundled in, served
 * by the brand origin as /secure-forms/panel.js. English is built in; every other locale is a
 * separate chunk in `locales/`, loaded only when the panel is shown in that language.
 */
export default defineConfig(
  bundlePreset({
    plugins: [localeStrTag()],
    build: {
      outDir: resolve(here, 'dist'),
      lib: {
        entry: resolve(here, 'src/secure-form-panel.ts'),
        formats: ['es'],
        fileName: () => 'secure-form-panel.js',
      },
      // No `/* @__PURE__ */` annotations in the output (the minifier keeps them by default: 187,
      // 2.9 kB min, 89 B min+gzip): this bundle is served as it is, not bundled again, and
      // everything in it is used. Licence comments stay.
      rolldownOptions: {
        output: { chunkFileNames: 'locales/[name]-[hash].js', comments: { legal: true, annotation: false, jsdoc: false } },
      },
    },
  }),
);
