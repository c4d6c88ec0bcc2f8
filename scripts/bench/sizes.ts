// Bundle sizes, min+gzip and min+brotli, against the budgets; and the floor: a bare Lit element
// with one input, built the same way (Vite library mode, ES2022, minified) in a temporary folder.
//
// A bundle's size is what one visitor or agent downloads in the heaviest locale: every script that
// always loads (a page's inline script counted as a file of its own), plus the largest of the lazily
// loaded locale chunks (only one is ever used). The English-only figure leaves the locale chunk out. Each file is compressed on its own (they are
// separate downloads): gzip level 9, brotli quality 11.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { inlineScriptTexts } from '../../demo/server/src/http/inline-scripts.ts';
import { bundlePreset } from '../../vite.config.ts';

/** Bytes: minified, then gzip and brotli of the same. */
export interface Sizes {
  min: number;
  gzip: number;
  brotli: number;
}
/** A bundle's sizes with its heaviest locale, and English only. */
export interface MeasuredFiles extends Sizes {
  files: string[];
  heaviestLocale: string | null;
  locales: number;
  englishOnly: Sizes;
}
/** One budgeted bundle, measured. */
export interface Bundle extends MeasuredFiles {
  id: string;
  name: string;
  budget: number;
  ok: boolean;
}
interface File {
  file: string;
  data: Buffer;
}

export const ROOT = new URL('../..', import.meta.url).pathname;

/** The budgets, min+gzip with the heaviest locale. */
export const BUNDLES: {
  id: string;
  name: string;
  always: () => string[];
  /** A page whose inline scripts load with the bundle's files, each measured as a file of its own. */
  page?: string;
  lazy: string;
  budget: number;
}[] = [
  {
    id: 'loader',
    name: 'host-page script (loader + <secure-form-invite>)',
    always: () => ['packages/consumer-widget/dist/loader/secure-forms-loader.js'],
    lazy: 'packages/consumer-widget/dist/loader/locales',
    budget: 10 * 1024,
  },
  {
    id: 'frame',
    name: 'form frame (jose included)',
    always: () => jsIn('packages/consumer-widget/dist/frame/assets'),
    // The page's first script is inline (vite.inline-first-script.ts).
    page: 'packages/consumer-widget/dist/frame/index.html',
    lazy: 'packages/consumer-widget/dist/frame/assets/locales',
    // 30 kB for the form, sealing and submitting (jose kept), plus up to 2 kB for accessibility
    // (announcements at steps, focus after changes, language marking of untranslated text, the
    // Escape confirmation). The card table of every network credit-card-type knows
    // (shared/src/cards.ts, 12 brands instead of 5: 0.8 kB min+gzip) was given 1 kB more; the
    // frame build paid it back (no Vite preload helper, minified templates: 32.8 to 31.9 kB).
    budget: 32 * 1024,
  },
  {
    id: 'panel',
    name: '<secure-form-panel>',
    always: () => ['packages/agent-panel/dist/secure-form-panel.js'],
    lazy: 'packages/agent-panel/dist/locales',
    budget: 40 * 1024,
  },
];

function jsIn(dir: string, root = ROOT): string[] {
  const full = join(root, dir);
  return existsSync(full)
    ? readdirSync(full)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

export const gzipBytes = (buffer: Uint8Array): number => gzipSync(buffer, { level: 9 }).length;
export const brotliBytes = (buffer: Uint8Array): number =>
  brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length } })
    .length;

/** A locale chunk is named like `de-Ab12.js` or `pt-BR-Ab12.js`; anything else among them (str-tag) is a helper that loads with any locale. */
export function isLocaleChunk(file: string): boolean {
  return /(^|\/)[a-z]{2}(-[A-Za-z]+)?-[\w-]+\.js$/.test(file) && !/(^|\/)str-tag-/.test(file);
}

/** Sizes of one bundle from its files' contents. */
export function measureFiles({ always, lazy }: { always: File[]; lazy: File[] }): MeasuredFiles {
  const helpers = lazy.filter((f) => !isLocaleChunk(f.file));
  const locales = lazy.filter((f) => isLocaleChunk(f.file));
  const base = [...always, ...helpers];
  const sum = (list: File[], fn: (data: Buffer) => number) => list.reduce((total, f) => total + fn(f.data), 0);
  const heaviest = (fn: (data: Buffer) => number) =>
    locales.reduce<{ file: string | null; size: number }>(
      (best, f) => {
        const size = fn(f.data);
        return size > best.size ? { file: f.file, size } : best;
      },
      { file: null, size: 0 },
    );
  const english = { min: sum(base, (d) => d.length), gzip: sum(base, gzipBytes), brotli: sum(base, brotliBytes) };
  const heavy = { min: heaviest((d) => d.length), gzip: heaviest(gzipBytes), brotli: heaviest(brotliBytes) };
  return {
    files: base.map((f) => f.file),
    heaviestLocale: heavy.gzip.file,
    locales: locales.length,
    min: english.min + heavy.min.size,
    gzip: english.gzip + heavy.gzip.size,
    brotli: english.brotli + heavy.brotli.size,
    englishOnly: english,
  };
}

function read(files: string[], root: string): File[] {
  return files.map((file) => ({ file, data: readFileSync(join(root, file)) }));
}

/**
 * The inline scripts of the page `file`, each as a file named after the page: what a visitor
 * downloads with the page, as the scripts they would be on their own.
 */
export function inlineScripts(file: string, html: string): File[] {
  return inlineScriptTexts(html).map((text, i) => ({ file: `${file} (inline script ${i + 1})`, data: Buffer.from(text) }));
}

/**
 * Build one entry of bench/fixtures the way the real bundles are built (the repository's Vite
 * preset, library mode, one ES module) into `outDir`, as `fileName`.
 */
export async function buildFixture(entry: string, fileName: string, outDir: string): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'silent',
    root: join(ROOT, 'bench/fixtures'),
    ...bundlePreset({
      build: {
        outDir,
        lib: { entry: join(ROOT, 'bench/fixtures', entry), formats: ['es'], fileName: () => fileName },
        rolldownOptions: { output: { codeSplitting: false } },
      },
    }),
  });
  return outDir;
}

/** Build the floor element into a temporary folder and measure it like a bundle. */
export async function buildFloor(): Promise<MeasuredFiles> {
  const out = mkdtempSync(join(tmpdir(), 'secure-forms-bench-floor-'));
  try {
    await buildFixture('floor-element.js', 'floor-element.js', out);
    const files = readdirSync(out).filter((f) => f.endsWith('.js'));
    if (files.length === 0) throw new Error('the floor build wrote no script');
    return measureFiles({ always: read(files, out), lazy: [] });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Measure every bundle (run after `npm run build`) and the floor. */
export async function measureSizes({ root = ROOT, floor = true }: { root?: string; floor?: boolean } = {}): Promise<{
  bundles: Bundle[];
  floor: (MeasuredFiles & { id: string; name: string }) | null;
}> {
  const bundles = BUNDLES.map((bundle) => {
    const files = bundle.always();
    const missing = [...files, ...(bundle.page ? [bundle.page] : [])].filter((f) => !existsSync(join(root, f)));
    if (files.length === 0 || missing.length > 0) {
      throw new Error(`${bundle.name}: not built (${missing.join(', ') || bundle.lazy}); run \`npm run build\` first`);
    }
    const scripts = read(files, root);
    if (bundle.page) scripts.push(...inlineScripts(bundle.page, readFileSync(join(root, bundle.page), 'utf8')));
    const measured = measureFiles({ always: scripts, lazy: read(jsIn(bundle.lazy, root), root) });
    return { id: bundle.id, name: bundle.name, budget: bundle.budget, ok: measured.gzip <= bundle.budget, ...measured };
  });
  return { bundles, floor: floor ? { id: 'floor', name: 'floor: a bare Lit element with one input', ...(await buildFloor()) } : null };
}
