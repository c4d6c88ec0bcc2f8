import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BRAND, harness } from '../test/harness.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const BROWSER = 'gzip, deflate, br, zstd';

/** A file and the brotli and gzip copies the build writes beside it. */
function built(file: string, text: string, { copies = true } = {}) {
  const body = Buffer.from(text);
  writeFileSync(file, body);
  if (!copies) return body;
  writeFileSync(`${file}.br`, brotliCompressSync(body));
  writeFileSync(`${file}.gz`, gzipSync(body));
  return body;
}

describe('built files: compression and caching', () => {
  const root = mkdtempSync(join(tmpdir(), 'sf-static-'));
  const frameDist = join(root, 'frame');
  const loaderDist = join(root, 'loader');
  const pagesDist = join(root, 'pages');
  const panelDist = join(root, 'panel');
  const script = `console.log(${JSON.stringify('the form frame '.repeat(200))});`;
  let frameJs: Buffer;
  let h: Awaited<ReturnType<typeof harness>>;

  beforeAll(async () => {
    for (const dir of [join(frameDist, 'assets/locales'), join(loaderDist, 'locales'), join(pagesDist, 'assets'), panelDist]) {
      mkdirSync(dir, { recursive: true });
    }
    built(
      join(frameDist, 'index.html'),
      '<!doctype html><title>frame</title><script type="module" src="/frame/assets/index-AbCd1234.js"></script>',
      {
        copies: false,
      },
    );
    frameJs = built(join(frameDist, 'assets/index-AbCd1234.js'), script);
    built(join(frameDist, 'assets/locales/de-EfGh5678.js'), `export default ${JSON.stringify('Deutsch '.repeat(100))};`);
    built(join(loaderDist, 'secure-forms-loader.js'), `/* loader */ ${script}`);
    built(join(loaderDist, 'locales/fr-IjKl9012.js'), `export default ${JSON.stringify('Français '.repeat(100))};`);
    built(join(pagesDist, 'index.html'), '<!doctype html><title>chat</title>', { copies: false });
    h = await harness({ paths: { frameDist, loaderDist, pagesDist, panelDist } });
  });

  const frame = (path: string, headers: Record<string, string> = {}) => h.app.pci.request(path, { headers });
  const brand = (path: string, headers: Record<string, string> = {}) => h.app.brand.request(path, { headers });

  it('serves a hashed frame script brotli-compressed to a browser that accepts it, cached for a year as immutable', async () => {
    const res = await frame('/frame/assets/index-AbCd1234.js', { 'Accept-Encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(res.headers.get('Cache-Control')).toBe(IMMUTABLE);
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).equals(frameJs)).toBe(true);
  });

  it('chooses gzip, or the plain file, by Accept-Encoding and its q-values', async () => {
    const gz = await frame('/frame/assets/index-AbCd1234.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(frameJs)).toBe(true);
    const preferred = await frame('/frame/assets/index-AbCd1234.js', { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(preferred.headers.get('Content-Encoding')).toBe('gzip');
    const plainOnes: Record<string, string>[] = [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'br;q=0, gzip;q=0' }];
    for (const headers of plainOnes) {
      const plain = await frame('/frame/assets/index-AbCd1234.js', headers);
      expect(plain.headers.get('Content-Encoding')).toBeNull();
      expect(plain.headers.get('Vary')).toBe('Accept-Encoding');
      expect(Buffer.from(await plain.arrayBuffer()).equals(frameJs)).toBe(true);
    }
  });

  it("serves the frame's and the loader's hashed locale chunks compressed and immutable", async () => {
    for (const res of [
      await frame('/frame/assets/locales/de-EfGh5678.js', { 'Accept-Encoding': BROWSER }),
      await brand('/secure-forms/locales/fr-IjKl9012.js', { 'Accept-Encoding': BROWSER }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Encoding')).toBe('br');
      expect(res.headers.get('Cache-Control')).toBe(IMMUTABLE);
    }
  });

  it('serves the loader, whose name stays the same across builds, compressed and revalidated by its ETag', async () => {
    const res = await brand('/secure-forms/loader.js', { 'Accept-Encoding': BROWSER });
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    const etag = res.headers.get('ETag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await brand('/secure-forms/loader.js', { 'Accept-Encoding': BROWSER, 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another representation has another tag: a gzip client's tag does not match the brotli copy.
    const gzipTag = (await brand('/secure-forms/loader.js', { 'Accept-Encoding': 'gzip' })).headers.get('ETag');
    expect(gzipTag).not.toBe(etag);
    expect((await brand('/secure-forms/loader.js', { 'Accept-Encoding': BROWSER, 'If-None-Match': gzipTag! })).status).toBe(200);
  });

  it("sends the frame page with an ETag, to be reused for five minutes by the visitor's browser only, and 304 with its caching headers when it has not changed", async () => {
    const path = `/frame/?site=demo&host=${encodeURIComponent(BRAND)}`;
    const res = await frame(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, max-age=300');
    const etag = res.headers.get('ETag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const same = await frame(path, { 'If-None-Match': `"other", W/${etag}` });
    expect(same.status).toBe(304);
    expect(same.headers.get('ETag')).toBe(etag);
    expect(same.headers.get('Cache-Control')).toBe('private, max-age=300');
    expect(await same.text()).toBe('');
    expect((await frame(path, { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it("sends the brand's pages with an ETag, and 304 for a matching If-None-Match", async () => {
    const res = await brand('/');
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const etag = res.headers.get('ETag')!;
    expect((await brand('/', { 'If-None-Match': etag })).status).toBe(304);
  });

  it('picks up a rebuilt file and ignores compressed copies older than it', async () => {
    const file = join(frameDist, 'assets/index-Rebuilt0.js');
    built(file, 'export const build = 1;'.repeat(50));
    expect((await frame('/frame/assets/index-Rebuilt0.js', { 'Accept-Encoding': 'br' })).headers.get('Content-Encoding')).toBe('br');
    const rebuilt = Buffer.from('export const build = 2;'.repeat(50));
    writeFileSync(file, rebuilt);
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const res = await frame('/frame/assets/index-Rebuilt0.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(rebuilt)).toBe(true);
  });
});
