#!/usr/bin/env node
// Checks that each publishable package would publish what its package.json promises: runs
// `npm pack --dry-run` for it, then checks every export (types first, every target packed and
// resolvable), the custom elements manifest, and that the node-safe entry points import. Run after
// `npm run build`; part of `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PACKAGES = [
  { dir: 'packages/shared', importable: true },
  { dir: 'packages/consumer-widget', importable: false },
  { dir: 'packages/agent-panel', importable: false },
];

const problems = [];
const fail = (pkg, message) => problems.push(`${pkg}: ${message}`);

/** Every file path an export condition object (or string) points to. */
function targets(entry) {
  if (typeof entry === 'string') return [entry];
  return Object.values(entry).flatMap(targets);
}

for (const { dir, importable } of PACKAGES) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const name = manifest.name;
  if (manifest.private) fail(name, 'is private, so it cannot be published');
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(root, dir), encoding: 'utf8' }),
  );
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
      fail(name, `${specifier} does not resolve or load: ${error.message}`);
    }
    checked++;
  }

  if (manifest.types && !packed.has(manifest.types.replace(/^\.\//, ''))) fail(name, `"types" ${manifest.types} is not packed`);
  let elements = [];
  if (manifest.customElements) {
    const file = manifest.customElements.replace(/^\.\//, '');
    if (!packed.has(file)) fail(name, `"customElements" ${file} is not packed`);
    else {
      const cem = JSON.parse(readFileSync(join(root, dir, file), 'utf8'));
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
  console.log(
    `${name}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed; ${checked} exports resolve` +
      (elements.length ? `; custom elements: ${elements.map((e) => `<${e.tagName}>`).join(', ')}` : ''),
  );
}

if (problems.length) {
  console.error(`\n${problems.length} packaging problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
