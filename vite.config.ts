/// <reference types="vitest/config" />
import { defineConfig, mergeConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The repository's one Vite preset, and (its default export) the root Vitest config.
 *
 * Every bundle a package builds extends {@link bundlePreset}: ES2022, minified, no source maps,
 * the shared schemas' zod calls marked pure. A library build whose locales are separate chunks
 * adds {@link localeStrTag}.
 */

/**
 * Calls the minifier may drop when their result is unused. The shared schemas are module-level
 * zod calls (`z.object(…)`), and a bundle that imports one schema must not carry all of them.
 */
export const PURE_FUNCTIONS = ['z'];

/** The build settings every bundle shares; `config` (the package's own) is merged over them. */
export function bundlePreset(config: UserConfig): UserConfig {
  const preset: UserConfig = {
    publicDir: false,
    build: {
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Library mode leaves ES output unminified unless the output asks for it.
      rolldownOptions: { output: { minify: true }, treeshake: { manualPureFunctions: PURE_FUNCTIONS } },
    },
  };
  return mergeConfig(preset, config);
}

// Written here rather than imported from @lit/localize: that module also carries msg() and the
// locale machinery, which a locale chunk must not pull in.
const STR_TAG_SOURCE = 'export const str = (strings, ...values) => ({ strTag: true, strings, values });';
const STR_TAG_ID = '\0locale-str-tag';

/**
 * For a library build whose locales are separate chunks (the loader's ES build, the panel): each
 * generated locale module gets its own copy of `str`, @lit/localize's tagged-template marker, so a
 * locale chunk imports nothing and the host page loads no helper chunk beside the bundle. (A
 * locale chunk importing `str` from the bundle itself would make the bundle export it; one shared
 * module would become a chunk of its own.) A build into one file (the IIFE loader) gets one shared
 * copy. The frame page needs none of this: its locale chunks import from the frame module, which
 * is loaded anyway.
 */
export function localeStrTag(): Plugin {
  let oneFile = false;
  return {
    name: 'locale-str-tag',
    enforce: 'pre',
    configResolved(config) {
      const output = config.build.rolldownOptions.output;
      oneFile = !Array.isArray(output) && output?.codeSplitting === false;
    },
    resolveId(source, importer) {
      const locale = importer && /generated[\\/]locales[\\/]([\w-]+)\.ts$/.exec(importer)?.[1];
      if (source !== '@lit/localize' || !locale) return null;
      return oneFile ? STR_TAG_ID : `${STR_TAG_ID}?${locale}`;
    },
    load(id) {
      return id === STR_TAG_ID || id.startsWith(`${STR_TAG_ID}?`) ? STR_TAG_SOURCE : null;
    },
  };
}

/**
 * One `vitest run` for every unit and component test: node tests for pure logic and the backend,
 * the backend's tests a second time on PostgreSQL and Redis, browser tests for the custom elements
 * in real Chromium. A function, so that the package builds
 * that import the preset above do not load the browser test runner.
 */
export default defineConfig(async (): Promise<UserConfig> => {
  const { playwright } = await import('@vitest/browser-playwright');
  const { chromiumLaunchOptions } = await import('./scripts/chromium.ts');
  return {
    test: {
      projects: [
        {
          test: {
            name: 'node',
            environment: 'node',
            // Every temporary directory the tests make goes in one that the run removes at its end.
            globalSetup: ['scripts/test-temp-dir.ts'],
            include: [
              'packages/shared/src/**/*.test.ts',
              // The packages' pure modules (no DOM): `*.node.test.ts` beside them.
              'packages/agent-panel/src/**/*.node.test.ts',
              'packages/consumer-widget/src/**/*.node.test.ts',
              'demo/server/src/**/*.test.ts',
              'scripts/**/*.test.ts',
              // The security suite's own logic (the canary scan); its specs run under Playwright.
              'security/**/*.test.ts',
              // The private test fixtures that need no page (the example forms, cards, TOTP codes).
              'fixtures/**/*.node.test.ts',
            ],
          },
        },
        {
          // The backend's tests again, on a private PostgreSQL and Redis that scripts/engines starts
          // for the run: the harness builds the app on them when their URLs are set (vitest-env.ts).
          test: {
            name: 'backend-on-postgres-redis',
            environment: 'node',
            include: ['demo/server/src/**/*.test.ts'],
            // The run's temporary directory first: its teardown, last, removes the engines' directory too.
            globalSetup: ['scripts/test-temp-dir.ts', 'scripts/engines/vitest-global-setup.ts'],
            setupFiles: ['scripts/engines/vitest-env.ts'],
          },
        },
        {
          // Bundled before the run, not discovered in the middle of it (which would reload the page).
          optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', '@lit/react'] },
          test: {
            name: 'browser',
            include: [
              'packages/consumer-widget/src/**/*.test.ts',
              'packages/agent-panel/src/**/*.test.ts',
              // The private test fixtures that run in a page (the brand-DOM snapshot).
              'fixtures/**/*.test.ts',
            ],
            exclude: [
              'packages/agent-panel/src/**/*.node.test.ts',
              'packages/consumer-widget/src/**/*.node.test.ts',
              'fixtures/**/*.node.test.ts',
            ],
            browser: {
              enabled: true,
              headless: true,
              provider: playwright({ launchOptions: chromiumLaunchOptions() }),
              instances: [{ browser: 'chromium' }],
              screenshotFailures: false,
            },
          },
        },
      ],
    },
  };
});
