import type { Plugin } from 'vite';
import { bundlePreset } from '../../vite.config.ts';

/**
 * Puts the page's first script into the page itself, as a classic `<script>` built from `entry`
 * (bundled on its own, minified, nothing imported at run time), just before `before` (the page's
 * stylesheet link: a script after a stylesheet waits for it).
 *
 * Inline, the script runs as soon as the page arrives. As a file of its own it was one more
 * request after the page: on a first open, where nothing is cached yet, one more round trip before
 * the frame says `ready` (on the bench's slow network, 89 ms). The page's policy must allow it by
 * its hash: the demo server hashes the inline scripts of the page it serves (routes/frame.ts), so
 * the hash and the page never disagree. Written here because Vite inlines no script into a page.
 * The script imports the frame module by the URL of the page's modulepreload link, so it needs no
 * file name from this build.
 */
export function inlineFirstScript(entry: string, before: string): Plugin {
  let code: string | undefined;
  return {
    name: 'inline-first-script',
    async buildStart() {
      const { build } = await import('vite');
      const output = await build({
        configFile: false,
        logLevel: 'warn',
        ...bundlePreset({
          build: {
            write: false,
            lib: { entry, formats: ['iife'], name: 'secureFormsFirstScript', fileName: () => 'first-script.js' },
            rolldownOptions: { output: { codeSplitting: false } },
          },
        }),
      });
      const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
      const chunk = chunks.find((c) => c.type === 'chunk');
      if (!chunk || chunk.type !== 'chunk' || chunks.length !== 1) throw new Error(`the first script ${entry} must build to one script`);
      // A `</script>` inside the code would end the element early.
      if (/<\/script/i.test(chunk.code)) throw new Error('the first script contains "</script"');
      code = chunk.code.trim();
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (code === undefined) throw new Error('the first script was not built');
        return insertBefore(html, before, `<script>${code}</script>`);
      },
    },
  };
}

/** `html` with `tag` inserted before `marker` (and a line break), which must occur in it once. */
export function insertBefore(html: string, marker: string, tag: string): string {
  const at = html.indexOf(marker);
  if (at < 0 || html.indexOf(marker, at + 1) >= 0) throw new Error(`the page must contain ${marker} once`);
  const indent = /[ \t]*$/.exec(html.slice(0, at))![0];
  return `${html.slice(0, at)}${tag}\n${indent}${html.slice(at)}`;
}
