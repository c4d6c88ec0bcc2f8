import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { SecureFormsError } from './errors.js';
import { readJson, requestJson } from './http.js';

const schema = z.object({ ok: z.literal(true) });

function mockFetch(impl: (url: string, init: RequestInit) => Promise<Response>) {
  const fetchMock = vi.fn(impl);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function rejection(promise: Promise<unknown>): Promise<SecureFormsError> {
  const error: unknown = await promise.then(
    () => expect.unreachable('resolved'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecureFormsError);
  return error as SecureFormsError;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requestJson', () => {
  it('returns the body parsed by the schema, passing url and init to fetch unchanged', async () => {
    const fetchMock = mockFetch(async () => Response.json({ ok: true, extra: 1 }));
    const init: RequestInit = { method: 'POST', headers: { 'X-Test': '1' }, body: '{}' };
    await expect(requestJson('https://pci.example/v1/x', init, schema)).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith('https://pci.example/v1/x', init);
  });

  it('turns a connection failure into NETWORK with status 0', async () => {
    mockFetch(async () => {
      throw new TypeError('fetch failed');
    });
    const error = await rejection(requestJson('https://pci.example/v1/x', {}, schema));
    expect(error.code).toBe('NETWORK');
    expect(error.status).toBe(0);
  });

  it('turns a body that breaks off mid-response into NETWORK', async () => {
    mockFetch(async () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"ok":'));
          controller.error(new TypeError('terminated'));
        },
      });
      return new Response(body, { status: 200 });
    });
    expect((await rejection(requestJson('https://pci.example/v1/x', {}, schema))).code).toBe('NETWORK');
  });

  it('turns a refusal into its own stable code, status and field issues', async () => {
    mockFetch(async () =>
      Response.json(
        { error: { code: 'VALIDATION_FAILED', message: 'no', fields: [{ path: 'text', reason: 'too long' }] } },
        { status: 400 },
      ),
    );
    const error = await rejection(requestJson('https://pci.example/v1/x', {}, schema));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.fields).toEqual([{ path: 'text', reason: 'too long' }]);
  });

  it('turns a refusal that is not a refusal body (a proxy page) into INTERNAL with its status', async () => {
    mockFetch(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await rejection(requestJson('https://pci.example/v1/x', {}, schema));
    expect(error.code).toBe('INTERNAL');
    expect(error.status).toBe(502);
  });

  it('turns a success body that does not match the schema into RESPONSE_INVALID', async () => {
    mockFetch(async () => Response.json({ ok: 'yes' }));
    const error = await rejection(requestJson('https://pci.example/v1/x', {}, schema));
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.status).toBe(200);
  });

  it('turns a success body that is not JSON into RESPONSE_INVALID', async () => {
    mockFetch(async () => new Response('<html>', { status: 200 }));
    expect((await rejection(requestJson('https://pci.example/v1/x', {}, schema))).code).toBe('RESPONSE_INVALID');
  });

  it('hands an empty body (204) to the schema as undefined', async () => {
    mockFetch(async () => new Response(null, { status: 204 }));
    await expect(requestJson('https://pci.example/v1/x', { method: 'DELETE' }, z.undefined())).resolves.toBeUndefined();
  });

  it('rejects with the abort itself, not a coded error, when the signal aborts', async () => {
    mockFetch(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const abort = new AbortController();
    const request = requestJson('https://pci.example/v1/x', { signal: abort.signal }, schema);
    abort.abort();
    const error: unknown = await request.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(SecureFormsError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('takes a hand-written schema as well as a zod one', async () => {
    mockFetch(async () => Response.json({ n: 2 }));
    const handWritten = {
      safeParse: (data: unknown) =>
        typeof data === 'object' && data !== null && typeof (data as { n?: unknown }).n === 'number'
          ? { success: true as const, data: (data as { n: number }).n }
          : { success: false as const },
    };
    await expect(requestJson('https://pci.example/v1/x', {}, handWritten)).resolves.toBe(2);
  });
});

describe('readJson', () => {
  const refusedWith = (code: 'OTK_USED') => (status: number) => new SecureFormsError(code, 'read by the caller', status);

  it('reads a request the caller already started, with the schema given', async () => {
    await expect(readJson(Promise.resolve(Response.json({ ok: true })), schema, refusedWith('OTK_USED'))).resolves.toEqual({ ok: true });
  });

  it('reads a refusal with the reader given, which gets its status and JSON body', async () => {
    const reader = vi.fn(refusedWith('OTK_USED'));
    const refusal = { error: { code: 'OTK_USED', message: 'used' } };
    const error = await rejection(readJson(Promise.resolve(Response.json(refusal, { status: 410 })), schema, reader));
    expect(error.code).toBe('OTK_USED');
    expect(reader).toHaveBeenCalledWith(410, refusal);
  });

  it('turns a request that failed, or a body that broke off, into NETWORK', async () => {
    const broken = new Response(
      new ReadableStream({
        start(controller) {
          controller.error(new TypeError('terminated'));
        },
      }),
      { status: 200 },
    );
    for (const request of [Promise.reject(new TypeError('Failed to fetch')), Promise.resolve(broken)]) {
      const error = await rejection(readJson(request, schema, refusedWith('OTK_USED')));
      expect([error.code, error.status]).toEqual(['NETWORK', 0]);
    }
  });

  it('rejects with the abort itself once the signal given aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    const error: unknown = await readJson(Promise.reject(new TypeError('any')), schema, refusedWith('OTK_USED'), abort.signal).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
  });
});
