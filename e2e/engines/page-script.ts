/**
 * The in-page helpers (`in-page.ts`) and axe-core as scripts a driver can evaluate in any
 * document, whatever its Content-Security-Policy (a driver's own evaluation is not the page's).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

/** One expression: the in-page helpers, bundled once per document under `globalThis.__secureFormsProbe`. */
export const PROBE: string = (() => {
  const { outputFiles } = buildSync({
    entryPoints: [new URL('./in-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'probe',
    target: 'es2022',
    minify: true,
    write: false,
  });
  return `(globalThis.__secureFormsProbe ??= (() => { ${outputFiles[0]!.text}; return probe; })())`;
})();

/** axe-core's browser build, defining `axe` in the document it is evaluated in. */
export const AXE_SOURCE: string = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
