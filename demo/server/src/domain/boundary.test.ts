/**
 * The domain knows nothing of HTTP: its modules (and the accounts and jobs beside it)
 * import neither Hono nor the HTTP layer (so only http/ maps a refusal's code to a status), and
 * refuse with shared's SecureFormsError; a one-time key is refused by otk.ts alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecureFormsError } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const HTTP_FREE = ['domain', 'accounts', 'jobs'];
const HTTP_IMPORT = /from '(hono(?:\/[^']*)?|@hono\/[^']+|(?:\.\.?\/)+(?:http|routes|middleware)\/[^']*)'/g;

function sources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(SRC, dir), { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(dir, f));
}

describe('the domain, free of HTTP', () => {
  it('imports neither Hono nor http/, routes/ or middleware/', () => {
    const found: string[] = [];
    for (const file of HTTP_FREE.flatMap(sources)) {
      for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(HTTP_IMPORT)) found.push(`${file}: ${match[1]}`);
    }
    expect(found).toEqual([]);
  });

  it('leaves the HTTP stack to http/: app.ts wires, importing neither Hono nor middleware/', () => {
    const app = readFileSync(join(SRC, 'app.ts'), 'utf8');
    expect([...app.matchAll(/from '(hono|\.\/middleware\/[^']*|\.\/routes\/[^']*)'/g)].map((m) => m[1])).toEqual([]);
  });

  it("refuses a presented one-time key only in otk.ts: every OTK_* refusal's code and sentence has one home", () => {
    // The header's shape (OTK_MISSING) is read by http/auth.ts; what a key is worth is otk.ts's.
    const elsewhere: string[] = [];
    for (const file of ['domain', 'accounts', 'jobs', 'routes', 'middleware'].flatMap(sources)) {
      if (file === join('domain', 'otk.ts')) continue;
      for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(/Refusal\('(OTK_[A-Z_]+)'/g))
        elsewhere.push(`${file}: ${match[1]}`);
    }
    expect(elsewhere).toEqual([]);
  });

  it('spends a refused key only in otk.ts (spendingOnRefusal): no other module spends one itself', () => {
    const spenders: string[] = [];
    for (const file of ['domain', 'accounts', 'jobs', 'routes', 'middleware'].flatMap(sources)) {
      if (file === join('domain', 'otk.ts')) continue;
      if (/otks\.spend\(/.test(readFileSync(join(SRC, file), 'utf8'))) spenders.push(file);
    }
    expect(spenders).toEqual([]);
  });

  it('refuses with a SecureFormsError carrying the code', async () => {
    const h = await harness();
    const refusal = await h.app.services.rt.otks.redeem('A'.repeat(43), { action: 'view' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SecureFormsError);
    expect(refusal).toMatchObject({ code: 'OTK_INVALID' });
  });
});
