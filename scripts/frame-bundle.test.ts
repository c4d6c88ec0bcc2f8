/**
 * The form frame's build (packages/consumer-widget/vite.frame.config.ts): its first script is only
 * what must run first, inline in the page. Reads the built page, so build first (`npm run build`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inlineScriptTexts } from '../demo/server/src/http/inline-scripts.ts';
import { noPreloadHelper, PRELOAD_HELPER_ID } from '../packages/consumer-widget/vite.no-preload-helper.ts';

const FRAME = fileURLToPath(new URL('../packages/consumer-widget/dist/frame/', import.meta.url));

type Hook = (...args: unknown[]) => unknown;

describe('the frame build', () => {
  it("inlines its first script, without Vite's preload helper, after the module's preload link and before the stylesheet", () => {
    if (!existsSync(`${FRAME}index.html`)) throw new Error('build the frame first: npm run build -w @secure-forms/consumer-widget');
    const page = readFileSync(`${FRAME}index.html`, 'utf8');
    // No script of the page's own is a request: the first is inline, the frame module is loaded by it.
    expect(page).not.toMatch(/<script[^>]*\bsrc=/);
    const scripts = inlineScriptTexts(page);
    expect(scripts).toHaveLength(1);
    const [first] = scripts as [string];
    // The helper's own marks: the event it dispatches on a failed preload, the check before the links it adds.
    expect(first).not.toContain('vite:preloadError');
    expect(first).not.toContain('relList');
    // The script reads the module's URL from the link before it, and runs before the stylesheet
    // (a script after a stylesheet waits for it).
    const at = (text: string) => page.indexOf(text);
    expect(at('<link rel="modulepreload"')).toBeGreaterThan(0);
    expect(at('<link rel="modulepreload"')).toBeLessThan(at(first));
    expect(at(first)).toBeLessThan(at('<link rel="stylesheet"'));
  });

  it("ships the elements' templates without their source's indentation, and with their text's spaces", () => {
    const assets = `${FRAME}assets/`;
    const module = readdirSync(assets).find((f) => /^frame-.+\.js$/.test(f));
    expect(module).toBeDefined();
    const script = readFileSync(`${assets}${module}`, 'utf8');
    // A tag on an indented line of an html`` template (prettier's layout of the source).
    expect(script).not.toMatch(/\n\s+</);
    // Whitespace collapsed to one space, never removed: the Change link reads "Change Card number".
    expect(script).toContain('<span class="visually-hidden"> ${');
    // The select's unanswered choice keeps its empty value.
    expect(script).toContain('<option value=""');
  });

  it("ships the theme's CSS text minified, in the frame and in the loader, as its minifier does the elements' css templates", () => {
    const assets = `${FRAME}assets/`;
    const module = readdirSync(assets).find((f) => /^frame-.+\.js$/.test(f));
    expect(module).toBeDefined();
    const loader = fileURLToPath(new URL('../packages/consumer-widget/dist/loader/', import.meta.url));
    for (const file of [`${assets}${module}`, `${loader}secure-forms-loader.js`, `${loader}secure-forms-loader.iife.js`]) {
      const script = readFileSync(file, 'utf8');
      // theme.ts writes `--_text: var(--secure-form-text-color, #0b0c0c);`, one declaration a line.
      expect(script, file).toContain('--_text:var(--secure-form-text-color,#0b0c0c)');
      expect(script, file).not.toContain('--_text: var(');
    }
  });

  it('carries none of zod: the frame checks no schema at runtime, and its imports from shared reach no module that imports zod', () => {
    const assets = `${FRAME}assets/`;
    for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const script = readFileSync(`${assets}${file}`, 'utf8');
      // What a zod module leaves in a bundle even when none of its exports is used: its global
      // config set-up, and its probe for Error.captureStackTrace (jose calls that one itself).
      expect(script.includes('__zod_globalConfig'), `${file} sets up zod's global config`).toBe(false);
      expect(/.captureStackTrace.\s*in Error/.test(script), `${file} carries zod's stack-trace probe`).toBe(false);
    }
  });

  it('replaces the helper with the import alone, and refuses a lazily loaded chunk that imports CSS', async () => {
    const plugin = noPreloadHelper();
    const load = plugin.load as Hook;
    expect(load.call({}, PRELOAD_HELPER_ID)).toBe('export const __vitePreload = (load) => load();');
    expect(load.call({}, '/src/frame/ready.ts')).toBeNull();
    const { __vitePreload } = (await import(`data:text/javascript,${encodeURIComponent(load.call({}, PRELOAD_HELPER_ID) as string)}`)) as {
      __vitePreload: (load: () => Promise<string>, deps: string[]) => Promise<string>;
    };
    await expect(__vitePreload(() => Promise.resolve('module'), [])).resolves.toBe('module');

    const errors: string[] = [];
    const context = { error: (message: string) => errors.push(message) };
    const chunk = (fileName: string, isEntry: boolean, css: string[]) => ({
      type: 'chunk',
      fileName,
      isEntry,
      viteMetadata: { importedCss: new Set(css), importedAssets: new Set() },
    });
    const generate = plugin.generateBundle as Hook;
    generate.call(context, {}, { a: chunk('index.js', true, ['index.css']), b: chunk('frame.js', false, []) });
    expect(errors).toEqual([]);
    generate.call(context, {}, { c: chunk('seal.js', false, ['seal.css']) });
    expect(errors).toEqual([expect.stringContaining('seal.js imports CSS')]);
  });
});
