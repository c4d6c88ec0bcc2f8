/**
 * Runs the examples on this machine, set up the way docs/integration.md tells a brand to:
 *  1. a workspace-token key pair (jose, as the guide's keygen snippet), its public half
 *     registered in a copy of the demo sites file (`workspaceTokens`), the chat server's origin
 *     added to `brandOrigins`;
 *  2. the Secure Forms backend (the demo server) on a fresh data directory, webhooks to loopback
 *     allowed (SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE=1: local runs only);
 *  3. an API credential, created by the admin `ada` through the admin API (password and TOTP);
 *  4. the example chat server (examples/chat-server), given the credential and the private key.
 * Ctrl+C stops both. Ports: EXAMPLES_CHAT_PORT, EXAMPLES_PCI_PORT, EXAMPLES_DEMO_PORT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { SESSION_HEADER, createdApiCredentialSchema, loginResponseSchema, requestJson } from '@secure-forms/shared';
import { stockSites, writeSites } from '../../scripts/sites-file.ts';

const root = new URL('../../', import.meta.url).pathname;
const chatPort = process.env.EXAMPLES_CHAT_PORT ?? '8090';
const pciPort = process.env.EXAMPLES_PCI_PORT ?? '8444';
const demoPort = process.env.EXAMPLES_DEMO_PORT ?? '8091';
const chatOrigin = `http://localhost:${chatPort}`;
const pciOrigin = `http://127.0.0.1:${pciPort}`;
const siteId = 'demo';
const dataDir = process.env.EXAMPLES_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'secure-forms-examples-'));
const password = `ex${randomBytes(12).toString('base64url')}7`;
const totpSecret = new Secret({ size: 20 });

// 1. The workspace-token key pair; the public key and our origin into the site.
const kid = 'examples-workspace-1';
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const workspaceTokens = {
  issuer: chatOrigin,
  audience: `urn:secure-forms:site:${siteId}`,
  keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
};
const sites = stockSites();
const site = sites.sites.find((s) => s.id === siteId)!;
Object.assign(site, { brandOrigins: [...(site.brandOrigins as string[]), chatOrigin], workspaceTokens });
const sitesFile = writeSites(join(dataDir, 'sites.json'), sites);

// 2. The backend.
const children: ChildProcess[] = [];
const run = (command: string, args: string[], env: Record<string, string>) => {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code) => {
    if (code !== null && code !== 0) void stop(code);
  });
  children.push(child);
};
let stopping = false;
/** Stop the servers; once they have exited (5 s at most), remove the data directory this script made, unless a server failed. */
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  const exited = children
    .filter((child) => child.exitCode === null && child.signalCode === null)
    .map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (!process.env.EXAMPLES_DATA_DIR && code === 0) rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGINT', () => void stop()).on('SIGTERM', () => void stop());
run('npm', ['run', 'start', '--workspace', '@secure-forms/demo'], {
  PORT: demoPort,
  PCI_PORT: pciPort,
  SECURE_FORMS_DATA_DIR: dataDir,
  SECURE_FORMS_SITES_FILE: sitesFile,
  SECURE_FORMS_DEMO_PASSWORD: password,
  SECURE_FORMS_DEMO_TOTP_SECRET: totpSecret.base32,
  SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE: '1',
});
for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 250))) {
  ready = await fetch(`${pciOrigin}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
}

// 3. An API credential, created by an admin.
const totp = new TOTP({ secret: totpSecret }).generate();
const admin = await requestJson(
  `${pciOrigin}/v1/sessions`,
  { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ siteId, username: 'ada', password, totp }) },
  loginResponseSchema,
);
const { credential } = await requestJson(
  `${pciOrigin}/v1/api-credentials`,
  {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SESSION_HEADER]: admin.token },
    body: JSON.stringify({ label: 'examples chat server' }),
  },
  createdApiCredentialSchema,
);

// 4. The chat server.
run(process.execPath, ['--import', 'tsx', 'examples/chat-server/server.ts'], {
  CHAT_PORT: chatPort,
  SECURE_FORMS_PCI_ORIGIN: pciOrigin,
  SECURE_FORMS_SITE_ID: siteId,
  SECURE_FORMS_API_CREDENTIAL: credential,
  WORKSPACE_TOKEN_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }),
  WORKSPACE_TOKEN_ISSUER: workspaceTokens.issuer,
  WORKSPACE_TOKEN_AUDIENCE: workspaceTokens.audience,
});
