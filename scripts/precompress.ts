// Brotli and gzip copies (file.br, file.gz) of the built text assets the demo server serves, made
// once at build time at the highest levels, so that the server never compresses per request (and
// never on the event loop). demo/server/src/http/static-files.ts serves them by Accept-Encoding.
// Run by `npm run build` after every package is built.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The served build output: whole folders, and the panel's two served entries. */
export const SERVED: string[] = [
  'packages/consumer-widget/dist/frame',
  'packages/consumer-widget/dist/loader',
  'packages/agent-panel/dist/secure-form-panel.js',
  'packages/agent-panel/dist/locales',
  'demo/pages/dist',
];
const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt']);
// Below this, the saving is smaller than the headers it costs.
const MIN_BYTES = 1024;

function* files(path: string): Generator<string> {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return;
  if (info.isFile()) yield path;
  else if (info.isDirectory()) for (const name of readdirSync(path)) yield* files(join(path, name));
}

/** Write the .br and .gz copies of one file (each only when it is smaller); returns their sizes. */
export function precompress(file: string): { identity: number; br: number; gzip: number } {
  const body = readFileSync(file);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
  if (br.length < body.length) writeFileSync(`${file}.br`, br);
  if (gz.length < body.length) writeFileSync(`${file}.gz`, gz);
  return { identity: body.length, br: br.length, gzip: gz.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let count = 0;
  for (const served of SERVED) {
    for (const file of files(join(ROOT, served))) {
      if (!TEXT.has(extname(file)) || statSync(file).size < MIN_BYTES) continue;
      precompress(file);
      count++;
    }
  }
  process.stdout.write(`precompress: brotli and gzip copies of ${count} built files\n`);
}
