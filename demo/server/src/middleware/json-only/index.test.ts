import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isJsonMediaType, isPlainTextMediaType, jsonOnly } from './index.js';

describe('jsonOnly', () => {
  const app = new Hono();
  app.use(jsonOnly());
  app.post('/', async (c) => c.json({ read: (await c.req.text()).length }));

  it('lets JSON through, with or without parameters, in any case', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      expect((await app.request('/', { method: 'POST', headers: { 'Content-Type': type }, body: '{}' })).status).toBe(200);
    }
    expect(isJsonMediaType('application/jsonx')).toBe(false);
  });

  it('refuses any other body type with UNSUPPORTED_MEDIA_TYPE, naming the one it reads', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json-patch+json',
    ]) {
      const res = await app.request('/', { method: 'POST', headers: { 'Content-Type': type }, body: '{}' });
      expect(res.status).toBe(415);
      expect(res.headers.get('Accept')).toBe('application/json');
      expect(await res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    }
  });

  it('refuses a body without a Content-Type, and lets a request without a body through', async () => {
    const bare = new Request('http://x/', { method: 'POST', body: '{}', headers: { 'Content-Length': '2' } });
    bare.headers.delete('Content-Type');
    expect((await app.request(bare)).status).toBe(415);
    expect((await app.request('/', { method: 'POST' })).status).toBe(200);
    expect((await app.request('/', { method: 'POST', headers: { 'Content-Length': '0' } })).status).toBe(200);
  });

  it('lets text/plain through only on the routes named for it, by method and whole path', async () => {
    const text = new Hono();
    text.use(jsonOnly([{ method: 'POST', path: /^\/open$/ }]));
    text.all('*', async (c) => c.json({ read: (await c.req.text()).length }));
    const send = (path: string, type: string, method = 'POST') =>
      text.request(path, { method, headers: { 'Content-Type': type }, body: 'token' });
    expect((await send('/open', 'text/plain')).status).toBe(200);
    expect((await send('/open', 'Text/Plain; charset=UTF-8')).status).toBe(200);
    expect((await send('/open', 'application/json')).status).toBe(200);
    expect((await send('/open', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await send('/open', 'text/plain', 'PUT')).status).toBe(415);
    expect((await send('/open/more', 'text/plain')).status).toBe(415);
    expect((await send('/other', 'text/plain')).status).toBe(415);
    expect(isPlainTextMediaType('text/plainx')).toBe(false);
  });
});
