#!/usr/bin/env node
// Measures the production bundles, min+gzip, against their budgets. `--check` fails when one is
// over. Run after `npm run build`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const budgets = [
  { name: 'host-page script (loader + <secure-form-invite>)', files: ['packages/consumer-widget/dist/loader/secure-forms-loader.js'], limit: 10_240 },
  { name: 'form frame (all JS, jose and zod included)', dir: 'packages/consumer-widget/dist/frame/assets', ext: '.js', limit: 30_720 },
  { name: '<secure-form-panel>', files: ['packages/agent-panel/dist/secure-form-panel.js'], limit: null },
];

let over = false;
for (const budget of budgets) {
  const files = budget.files ?? readdirSync(join(root, budget.dir)).filter((f) => f.endsWith(budget.ext)).map((f) => join(budget.dir, f));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(root, file));
    raw += statSync(join(root, file)).size;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const verdict = budget.limit === null ? '' : gzip <= budget.limit ? ` ≤ ${(budget.limit / 1024).toFixed(0)} kB ok` : ` > ${(budget.limit / 1024).toFixed(0)} kB OVER BUDGET`;
  if (budget.limit !== null && gzip > budget.limit) over = true;
  console.log(`${budget.name}: ${(raw / 1024).toFixed(1)} kB min, ${(gzip / 1024).toFixed(1)} kB min+gzip${verdict}`);
}
if (over && process.argv.includes('--check')) process.exit(1);
