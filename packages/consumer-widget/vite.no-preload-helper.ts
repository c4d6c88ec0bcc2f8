import type { Plugin } from 'vite';

/** The module Vite imports its preload helper (`__vitePreload`) from, in every chunk that calls `import()`. */
export const PRELOAD_HELPER_ID = '\0vite/preload-helper.js';

/**
 * Replaces Vite's preload helper with a call of the import alone, in a page whose lazily loaded
 * chunks load no stylesheet.
 *
 * An app build wraps every `import()` in `__vitePreload`, which adds the stylesheets (and, unless
 * `build.modulePreload` is false, the modulepreload links) of the chunk it loads; with nothing to
 * add it still ships: 1.7 kB minified, 0.74 kB min+gzip of the form frame's first script, the one
 * that must run before anything else (vitejs/vite#13952 and #18551: no option leaves it out). The
 * frame's page links its one stylesheet itself and preloads its module itself, so the helper has
 * nothing to do there. Written here because Vite offers no switch; `generateBundle` fails the
 * build if a lazily loaded chunk ever does import CSS, which the helper would have loaded.
 */
export function noPreloadHelper(): Plugin {
  return {
    name: 'no-preload-helper',
    enforce: 'pre',
    load(id) {
      return id === PRELOAD_HELPER_ID ? 'export const __vitePreload = (load) => load();' : null;
    },
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && !chunk.isEntry && chunk.viteMetadata?.importedCss.size) {
          this.error(`${chunk.fileName} imports CSS, which only Vite's preload helper would load: link it in the page instead`);
        }
      }
    },
  };
}
