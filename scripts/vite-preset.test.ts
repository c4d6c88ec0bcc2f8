import type { ResolvedConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';
import { PURE_FUNCTIONS, bundlePreset, localeStrTag } from '../vite.config.ts';

type Hook = (...args: unknown[]) => unknown;
/** Calls one of the plugin's hooks as Vite would (they are plain functions here). */
const call = (plugin: ReturnType<typeof localeStrTag>, hook: 'configResolved' | 'resolveId' | 'load', ...args: unknown[]) =>
  (plugin[hook] as Hook).call({}, ...args);
const resolved = (output: unknown) => ({ build: { rolldownOptions: { output } } }) as unknown as ResolvedConfig;
const LOCALE = '/repo/packages/agent-panel/src/generated/locales/ar.ts';

describe('the shared Vite preset', () => {
  it('builds ES2022, minified, without source maps, with the schema calls pure, under the package’s own settings', () => {
    const config = bundlePreset({ build: { outDir: 'dist/x', rolldownOptions: { output: { chunkFileNames: 'c/[name].js' } } } });
    expect(config.build).toMatchObject({ target: 'es2022', sourcemap: false, emptyOutDir: true, outDir: 'dist/x' });
    expect(config.build?.rolldownOptions).toMatchObject({
      output: { minify: true, chunkFileNames: 'c/[name].js' },
      treeshake: { manualPureFunctions: PURE_FUNCTIONS },
    });
  });

  it('gives each locale chunk its own `str` when locales are separate chunks', () => {
    const plugin = localeStrTag();
    call(plugin, 'configResolved', resolved({ chunkFileNames: 'locales/[name].js' }));
    const ar = call(plugin, 'resolveId', '@lit/localize', LOCALE);
    const de = call(plugin, 'resolveId', '@lit/localize', LOCALE.replace('ar.ts', 'de.ts'));
    expect(ar).toEqual(expect.any(String));
    expect(de).not.toBe(ar);
    expect(call(plugin, 'load', ar)).toMatch(/export const str = /);
  });

  it('shares one `str` in a build into one file', () => {
    const plugin = localeStrTag();
    call(plugin, 'configResolved', resolved({ codeSplitting: false }));
    expect(call(plugin, 'resolveId', '@lit/localize', LOCALE)).toBe(
      call(plugin, 'resolveId', '@lit/localize', LOCALE.replace('ar.ts', 'de.ts')),
    );
  });

  it('leaves @lit/localize alone everywhere but in the generated locale modules', () => {
    const plugin = localeStrTag();
    call(plugin, 'configResolved', resolved({}));
    expect(call(plugin, 'resolveId', '@lit/localize', '/repo/packages/agent-panel/src/localization.ts')).toBeNull();
    expect(call(plugin, 'resolveId', 'lit', LOCALE)).toBeNull();
    expect(call(plugin, 'load', '/repo/packages/agent-panel/src/localization.ts')).toBeNull();
  });

  it('is what every build config of the workspaces extends, and no build config is a vitest one', () => {
    const configs = trackedFiles('packages', 'demo', 'examples').filter(
      (f) => /\/vite\.[\w.]*config\.ts$/.test(f) && isProductionSource(f),
    );
    expect(configs.length).toBeGreaterThan(3);
    expect(configs.filter((f) => !/\bbundlePreset\(/.test(readRepoFile(f)))).toEqual([]);
    expect(trackedFiles('*vitest.config.*', '*vitest.workspace.*')).toEqual([]);
  });
});
