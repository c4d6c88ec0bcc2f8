/** The running demo's audit trail, as the suite reads it from the data directory. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './env.js';

/** Every line of the daily audit files (audit-YYYY-MM-DD.log), oldest file first. */
export function auditLines(): string[] {
  if (!existsSync(DATA_DIR)) return [];
  return readdirSync(DATA_DIR)
    .filter((name) => /^audit-\d{4}-\d{2}-\d{2}\.log$/.test(name))
    .sort()
    .flatMap((name) => readFileSync(join(DATA_DIR, name), 'utf8').split('\n').filter(Boolean));
}
