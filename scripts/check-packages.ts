// Checks that each publishable package would publish what its package.json promises: runs
// `npm pack --dry-run` for it, then checks every export (types first, every target packed and
// resolvable), the custom elements manifest, and that the node-safe entry points import; then
// publint and are-the-types-wrong (scripts/package-lint.ts). Run after `npm run build`
// (`npm run check:packages`); part of `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attwProblems, publintProblems } from './package-lint.ts';

const root = new URL('..', import.meta.url).pathname;
const PACKAGES: { dir: string; importable: boolean; notModules?: string[] }[] = [
  { dir: 'packages/shared', importable: true },
  // The IIFE bundle is a classic script for a script tag (it sets a global): no module, no types.
  { dir: 'packages/consumer-widget', importable: false, notModules: ['./bundle/secure-forms-loader.iife.js'] },
  { dir: 'packages/agent-panel', importable: false },
];

type ExportEntry = string | { [condition: string]: ExportEntry };
interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, ExportEntry>;
  types?: string;
  customElements?: string;
}
interface CemDeclaration {
  name: string;
  customElement?: boolean;
  tagName?: string;
  summary?: string;
  cssParts?: unknown[];
  cssProperties?: unknown[];
  events?: { name?: string }[];
}

const problems: string[] = [];
const fail = (pkg: string, message: string) => problems.push(`${pkg}: ${message}`);

/** Every file path an export condition object (or string) points to. */
function targets(entry: ExportEntry): string[] {
  if (typeof entry === 'string') return [entry];
  return Object.values(entry).flatMap(targets);
}

for (const { dir, importable, notModules = [] } of PACKAGES) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;
  const name = manifest.name;
  if (manifest.private) fail(name, 'is private, so it cannot be published');
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(root, dir), encoding: 'utf8' }),
  ) as { entryCount: number; size: number; files: { path: string }[] }[];
  if (!pack) throw new Error(`npm pack printed nothing for ${dir}`);
  const packed = new Set(pack.files.map((f) => f.path));
  for (const test of packed) if (/\.test\.[jt]s$/.test(test)) fail(name, `would publish a test file, ${test}`);

  const exportsMap = manifest.exports ?? {};
  let checked = 0;
  for (const [subpath, entry] of Object.entries(exportsMap)) {
    if (typeof entry === 'object' && 'types' in entry && Object.keys(entry)[0] !== 'types') {
      fail(name, `export "${subpath}" must list "types" first`);
    }
    for (const target of targets(entry)) {
      const file = target.replace(/^\.\//, '');
      if (!packed.has(file)) fail(name, `export "${subpath}" points to ${target}, which npm pack would not include`);
      if (!existsSync(join(root, dir, file))) fail(name, `export "${subpath}" points to ${target}, which does not exist (built?)`);
    }
    // Resolve it the way a consumer's Node or bundler would, through the package name.
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    try {
      const url = import.meta.resolve(specifier);
      if (!existsSync(new URL(url))) fail(name, `${specifier} resolves to a missing file`);
      if (importable && url.endsWith('.js')) await import(specifier);
      // A bundle for a script tag must still define its element (a wrong sideEffects list once
      // let the bundler drop the customElements.define call).
      if (subpath.startsWith('./bundle/') && !readFileSync(new URL(url), 'utf8').includes('customElements.define')) {
        fail(name, `${specifier} does not define its custom element`);
      }
    } catch (error) {
      fail(name, `${specifier} does not resolve or load: ${(error as Error).message}`);
    }
    checked++;
  }

  if (manifest.types && !packed.has(manifest.types.replace(/^\.\//, ''))) fail(name, `"types" ${manifest.types} is not packed`);
  let elements: CemDeclaration[] = [];
  if (manifest.customElements) {
    const file = manifest.customElements.replace(/^\.\//, '');
    if (!packed.has(file)) fail(name, `"customElements" ${file} is not packed`);
    else {
      const cem = JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as { modules: { declarations?: CemDeclaration[] }[] };
      elements = cem.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
      if (elements.length === 0) fail(name, 'custom-elements.json lists no custom element');
      for (const element of elements) {
        if (!element.tagName) fail(name, `custom-elements.json: ${element.name} has no tag name`);
        if (!element.summary) fail(name, `custom-elements.json: ${element.name} has no @summary`);
        if (!element.cssParts?.length) fail(name, `custom-elements.json: ${element.name} documents no @csspart`);
        if (!element.cssProperties?.length) fail(name, `custom-elements.json: ${element.name} documents no @cssproperty`);
        if (element.events?.some((e) => !e.name)) fail(name, `custom-elements.json: ${element.name} has an unnamed event`);
      }
    }
  }
  const linted = [...(await publintProblems(join(root, dir))), ...attwProblems(join(root, dir), notModules)];
  for (const problem of linted) fail(name, problem);
  console.log(
    `${name}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed; ${checked} exports resolve; ` +
      `publint and are-the-types-wrong: ${linted.length ? `${linted.length} problem(s)` : 'clean'}` +
      (elements.length ? `; custom elements: ${elements.map((e) => `<${e.tagName}>`).join(', ')}` : ''),
  );
}

if (problems.length) {
  console.error(`\n${problems.length} packaging problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
