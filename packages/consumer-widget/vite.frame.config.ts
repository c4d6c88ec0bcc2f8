import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundlePreset } from '../../vite.config.ts';
import { inlineFirstScript, insertBefore } from './vite.inline-first-script.js';
import { noPreloadHelper } from './vite.no-preload-helper.js';
import { pruneLocales } from './vite.prune-locales.js';

/** Where the frame page's stylesheet link starts, in the built page: its module link and first script go before it. */
const STYLESHEET = '<link rel="stylesheet"';

/**
 * The form frame page, served by the PCI origin at `/frame/`: the page (its first script inline),
 * its stylesheet, and the frame module (`frame.ts`), which the first script loads. Its locale chunks
 * import `str` from the frame module, which is loaded anyway.
 */
export default defineConfig(
  bundlePreset({
    root: fileURLToPath(new URL('src/frame', import.meta.url)),
    base: '/frame/',
    plugins: [
      // Its lazily loaded chunks load no CSS, so they need no preload helper.
      noPreloadHelper(),
      // The elements' html`` and css`` templates without the indentation and line breaks of their
      // source (the minifier leaves template literals as written). Whitespace is only ever
      // collapsed to one space (conservativeCollapse), never removed, so text keeps its spaces
      // ("Change Card number", "Error: …"); empty attributes stay (an <option value=""> is the
      // select's unanswered choice).
      minifyHtmlLiterals({
        filter: (id) => /[\\/]consumer-widget[\\/]src[\\/].+\.ts$/.test(id),
        failOnError: true,
        options: { minifyOptions: { conservativeCollapse: true, removeEmptyAttributes: false } },
      }),
      // The frame's locale chunks carry the form's strings only, not the invitation's.
      pruneLocales(fileURLToPath(new URL('src/frame/frame.ts', import.meta.url)), fileURLToPath(new URL('tsconfig.json', import.meta.url))),
      {
        name: 'preload-frame-module',
        // The page's first script (ready.ts) loads the rest of the frame with import(), which the
        // browser would discover only once that script has run: a modulepreload link in the page
        // fetches it at once instead, and names it for the first script. Before the page's
        // stylesheet, where the first script goes too (inlineFirstScript, below): a script after a
        // stylesheet waits for it (on the bench's slow network, 60 ms on a first open).
        transformIndexHtml: {
          order: 'post',
          handler(html, ctx) {
            const chunk = Object.values(ctx.bundle ?? {}).find(
              (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/frame/frame.ts'),
            );
            if (!chunk || chunk.type !== 'chunk') throw new Error('the frame module chunk is missing');
            return insertBefore(html, STYLESHEET, `<link rel="modulepreload" crossorigin href="/frame/${chunk.fileName}">`);
          },
        },
      },
      inlineFirstScript(fileURLToPath(new URL('src/frame/ready.ts', import.meta.url)), STYLESHEET),
      {
        name: 'warm-up-page',
        // warm.html, served at /frame/warm: the module and stylesheet the frame page loads first,
        // as preload links only (fetched into the cache, never run), and no script of its own. The
        // invitation loads it hidden before the click (src/components/secure-form-invite/warm-frame.ts).
        generateBundle: {
          order: 'post',
          handler(_options, bundle) {
            const page = bundle['index.html'];
            if (page?.type !== 'asset' || typeof page.source !== 'string') throw new Error('the frame page is missing');
            const links = [...page.source.matchAll(/<(script|link)\b[^>]*?\b(?:src|href)="(\/frame\/assets\/[^"]+)"/g)].map(
              ([, tag, href]) =>
                `<link rel="preload" as="${tag === 'script' || href!.endsWith('.js') ? 'script' : 'style'}" crossorigin href="${href}">`,
            );
            if (links.length < 2)
              throw new Error(`the frame page links ${links.length} assets; the warm-up page expects its stylesheet and module`);
            this.emitFile({
              type: 'asset',
              fileName: 'warm.html',
              source: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Secure form</title>${links.join('')}</head></html>\n`,
            });
          },
        },
      },
    ],
    build: {
      outDir: fileURLToPath(new URL('dist/frame', import.meta.url)),
      // The page links the frame module itself (the plugin above).
      modulePreload: false,
      rolldownOptions: {
        // The page, and the frame module that its inline first script loads.
        input: {
          index: fileURLToPath(new URL('src/frame/index.html', import.meta.url)),
          frame: fileURLToPath(new URL('src/frame/frame.ts', import.meta.url)),
        },
        output: {
          // Non-English strings load only for a visitor who needs them (see src/localization.ts).
          chunkFileNames: (chunk) => (chunk.name.length === 2 ? 'assets/locales/[name]-[hash].js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  }),
);
