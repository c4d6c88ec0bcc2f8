#!/usr/bin/env node
// Measures the production bundles, min+gzip, against their budgets. `--check` fails when one is
// over. Run after `npm run build`.
//
// A bundle's size is what one visitor or agent downloads in the heaviest locale: every script
// that always loads, plus the largest of the lazily loaded locale chunks (only one is ever used).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const budgets = [
  {
    name: 'host-page script (loader + <secure-form-invite>)',
    always: ['packages/consumer-widget/dist/loader/secure-forms-loader.js'],
    lazy: 'packages/consumer-widget/dist/loader/locales',
    limit: 10_240,
  },
  {
    name: 'form frame (jose and zod included)',
    always: jsIn('packages/consumer-widget/dist/frame/assets'),
    lazy: 'packages/consumer-widget/dist/frame/assets/locales',
    limit: 30_720,
  },
  {
    name: '<secure-form-panel>',
    always: ['packages/agent-panel/dist/secure-form-panel.js'],
    lazy: 'packages/agent-panel/dist/locales',
    limit: 35_840,
  },
];

function jsIn(dir) {
  const full = join(root, dir);
  return existsSync(full) ? readdirSync(full).filter((f) => f.endsWith('.js')).map((f) => join(dir, f)) : [];
}
const gz = (file) => gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
const raw = (file) => readFileSync(join(root, file)).length;
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;

let over = false;
for (const budget of budgets) {
  const lazy = jsIn(budget.lazy);
  // Shared helpers among the locale chunks (e.g. str-tag) load with any of them.
  const helpers = lazy.filter((f) => !/\/[a-z]{2}(-[A-Za-z]+)?-[\w-]+\.js$/.test(f));
  const locales = lazy.filter((f) => !helpers.includes(f));
  const heaviest = Math.max(0, ...locales.map(gz));
  const always = [...budget.always, ...helpers];
  const total = always.reduce((sum, f) => sum + gz(f), 0) + heaviest;
  const min = always.reduce((sum, f) => sum + raw(f), 0);
  const ok = total <= budget.limit;
  if (!ok) over = true;
  console.log(
    `${budget.name}: ${kB(min)} min; ${kB(total)} min+gzip with the heaviest locale (${kB(heaviest)})` +
      ` ${ok ? '≤' : '>'} ${kB(budget.limit)}${ok ? ' ok' : ' OVER BUDGET'}`,
  );
}
if (over && process.argv.includes('--check')) process.exit(1);
