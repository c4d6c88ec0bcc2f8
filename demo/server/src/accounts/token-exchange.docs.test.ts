/**
 * The workspace token snippets of docs/integration.md, run as a brand would run them: the key
 * generation, then the minting with the private key, and the token exchanged for a session.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { harness } from '../test/harness.js';
import { exchangeBody } from '../test/workspace-tokens.js';
import type { WorkspaceTokenKey } from '../sites/workspace-tokens.js';

const doc = readFileSync(join(REPO_ROOT, 'docs/integration.md'), 'utf8');

/** The code block after `<!-- workspace-token: <name> -->`. */
function snippet(name: string): string {
  const match = new RegExp(`<!-- workspace-token: ${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/integration.md has no "${name}" snippet`);
  return match[1]!;
}

/** Run `code` as an ES module from the repository root (where `jose` resolves), returning its stdout. */
function run(code: string, env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('docs/integration.md: signing agents in from the workspace', () => {
  it('generates a key pair, mints a token with the private key, and the token is exchanged for a session', async () => {
    const [privateLine, publicLine] = run(snippet('keygen')).trim().split('\n');
    const privateJwk = JSON.parse(privateLine!) as Record<string, unknown>;
    const publicJwk = JSON.parse(publicLine!) as WorkspaceTokenKey;
    expect(privateJwk).toMatchObject({ kid: 'workspace-2026-12', alg: 'ES256', d: expect.any(String) });
    expect(publicJwk).not.toHaveProperty('d');
    const h = await harness({
      site: (s) => ({
        ...s,
        workspaceTokens: { issuer: 'https://workspace.brand.example', audience: 'urn:secure-forms:site:your-site', keys: [publicJwk] },
      }),
    });
    // The snippet signs with the real clock: the app's clock goes there.
    h.advance(Date.now() - h.now());
    const agent = "{ id: 'brand-agent-alice', role: 'agent', amr: ['pwd'] }";
    const token = run(`${snippet('mint')}\nprocess.stdout.write(await mintWorkspaceToken(${agent}));`, {
      WORKSPACE_TOKEN_KEY: privateLine!,
    });
    const res = await h.request('/v1/sessions/token-exchange', { body: exchangeBody(token) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ operator: { username: 'alice' }, issued_token_type: 'urn:secure-forms:token-type:session' });
  });
});
