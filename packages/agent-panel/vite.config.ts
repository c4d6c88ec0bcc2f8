import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const strTag = resolve(here, 'src/generated/str-tag.ts');

/**
 * One ES module that defines <secure-form-panel>, with lit, zod/mini and jose bundled in, served
 * by the brand origin as /secure-forms/panel.js. English is built in; every other locale is a
 * separate chunk in `locales/`, loaded only when the panel is shown in that language.
 */
export default defineConfig({
  plugins: [
    {
      name: 'locale-str-tag',
      enforce: 'pre' as const,
      // Locale chunks get their own tiny `str`, so they share no chunk with the panel. Each gets
      // its own copy (a module id per locale), so no shared helper chunk loads beside them.
      resolveId(source: string, importer: string | undefined) {
        const locale = importer && /generated[\\/]locales[\\/](\w+)\.ts$/.exec(importer)?.[1];
        return source === '@lit/localize' && locale ? `${strTag}?${locale}` : null;
      },
      load(id: string) {
        return id.startsWith(`${strTag}?`) ? readFileSync(strTag, 'utf8') : null;
      },
    },
  ],
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
      output: { minify: true, chunkFileNames: 'locales/[name]-[hash].js' },
      // The shared schemas are module-level zod calls; unused ones are pure and can go.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
});
