import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecureFormsError } from './errors.js';
import { completeSecondFactor, exchangeWorkspaceToken } from './workspace-token.js';

const operator = { id: 'op-1', siteId: 'demo', username: 'alice', displayName: 'Alice', role: 'agent', permissions: ['use-secure-form'] };
const session = {
  token: 'a'.repeat(43),
  operator,
  idleTimeoutSeconds: 900,
  expiresAt: '2026-12-03T20:00:00.000Z',
  issued_token_type: 'urn:secure-forms:token-type:session',
  expires_in: 43200,
};

function mockFetch(answer: () => Response) {
  const fetchMock = vi.fn(async (_url: URL, _init: RequestInit) => answer());
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('exchangeWorkspaceToken', () => {
  it('posts the token as RFC 8693 parameters in a JSON body, without cookies, and returns the session the panel takes', async () => {
    const fetchMock = mockFetch(() => Response.json(session, { status: 201 }));
    const signIn = await exchangeWorkspaceToken('https://pci.example.com', 'demo', 'h.p.s');
    expect(signIn).toEqual({ kind: 'session', session });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toBe('https://pci.example.com/v1/sessions/token-exchange');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(init.body as string)).toEqual({
      siteId: 'demo',
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'h.p.s',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    });
  });

  it('returns the second-factor challenge, which completeSecondFactor turns into the session', async () => {
    const challenge = { secondFactorRequired: true, challenge: 'c'.repeat(43), expiresAt: '2026-12-03T12:05:00.000Z' };
    mockFetch(() => Response.json(challenge));
    const signIn = await exchangeWorkspaceToken('https://pci.example.com', 'demo', 'h.p.s');
    expect(signIn).toEqual({ kind: 'second-factor', challenge });
    const fetchMock = mockFetch(() => Response.json(session, { status: 201 }));
    if (signIn.kind !== 'second-factor') throw new Error('expected a challenge');
    await expect(completeSecondFactor('https://pci.example.com', signIn.challenge, '123456')).resolves.toMatchObject({
      token: session.token,
    });
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body as string)).toEqual({ challenge: challenge.challenge, totp: '123456' });
  });

  it("rejects with the refusal's code and reason", async () => {
    mockFetch(() =>
      Response.json(
        { error: { code: 'INVALID_CREDENTIALS', message: 'refused', fields: [{ path: 'subject_token', reason: 'expired' }] } },
        { status: 401 },
      ),
    );
    const error = await exchangeWorkspaceToken('https://pci.example.com', 'demo', 'h.p.s').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecureFormsError);
    expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401, fields: [{ path: 'subject_token', reason: 'expired' }] });
  });
});
