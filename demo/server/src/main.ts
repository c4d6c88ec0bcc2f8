/**
 * Start the demo: the brand origin on localhost:PORT and the PCI origin on 127.0.0.1:PCI_PORT.
 *
 * Every environment variable it reads is in config/environment.ts (and the README's table made
 * from it). In production it runs compiled, through demo/server/start.sh, which sets the memory
 * settings (docs/deployment.md).
 */
import type { ServerType } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isStartProblem, openApp, type Opened } from './bootstrap.js';
import { serverConfig, type ServerConfig } from './config/index.js';
import { listen } from './http/listen.js';
import { createLogger, logDestination } from './logger.js';
import { seedDemo } from './seed.js';
import { shutDown } from './shutdown.js';
import { TOTP_ENROLMENT_FILE, writeTotpEnrolment } from './totp-enrolment.js';

/** How often the webhook sender looks for due deliveries. */
const WEBHOOK_ROUND_MS = 2000;

/** Stop at start: a problem the operator can fix is one clear message; anything else, as thrown. */
function refuseToStart(error: unknown): never {
  if (!isStartProblem(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = serverConfig(process.env);
  } catch (error) {
    return refuseToStart(error);
  }
  const brandPort = config.brandPort;
  const pciPort = config.pciPort;
  const dir = config.dataDir;
  // Everything this process writes (the SQLite file and its WAL, the audit log, keys) is for
  // this user alone: the records are wrapped, but their metadata and the audit trail are not public.
  process.umask(0o077);
  const logLines = logDestination(1);
  const logger = createLogger({ level: config.logLevel, destination: logLines });
  let opened: Opened;
  try {
    opened = await openApp(config, logger);
  } catch (error) {
    return refuseToStart(error);
  }
  const { app, store, audit, keys, sites, site } = opened;
  const pciOrigin = config.pciOrigin;
  const brandOrigin = `http://localhost:${brandPort}`;
  const totpSecret = config.demoTotpSecret;
  const envPassword = config.demoPassword;
  const seed = await seedDemo(app.store, app.accounts, site, envPassword, totpSecret);
  // The operators of the other sites in the sites file share the demo password (or get their own,
  // shown once, when the demo site's was printed at an earlier start).
  const otherSites: string[] = [];
  for (const other of sites.all()) {
    if (other.id === site.id || other.operators.length === 0) continue;
    const sharedPassword = envPassword ?? (seed.password === 'generated' ? seed.generated : undefined);
    const result = await seedDemo(app.store, app.accounts, other, sharedPassword, totpSecret);
    seed.totp.push(...result.totp.map((t) => ({ ...t, username: `${t.username}@${other.id}` })));
    otherSites.push(
      `Site ${other.id}: ${other.operators.map((o) => o.username).join(', ')}${
        result.password === 'generated' && sharedPassword === undefined ? ` (password ${result.generated}, shown only this once)` : ''
      }`,
    );
  }
  // The history key pair of each site with history viewing: made now by the key custody.
  for (const s of sites.all()) if (s.historyViewing) await app.services.rt.historyKeys.publicKey(s.id);
  await app.purge();
  const housekeeping = setInterval(() => void app.purge().catch(() => logger.error('purge failed')), 60_000);
  housekeeping.unref();
  // The webhook sender: a round every few seconds; each delivery's next attempt is in the outbox.
  let sending = false;
  const webhooks = setInterval(() => {
    if (sending) return;
    sending = true;
    void app
      .sendWebhooks()
      .catch(() => logger.error('webhook round failed'))
      .finally(() => {
        sending = false;
      });
  }, WEBHOOK_ROUND_MS);
  webhooks.unref();

  const servers: ServerType[] = [];
  try {
    servers.push(
      await listen({ fetch: app.brand.fetch, hostname: 'localhost', port: brandPort, label: 'brand', keepAliveMs: config.keepAliveMs }),
    );
    servers.push(
      await listen({ fetch: app.pci.fetch, hostname: '127.0.0.1', port: pciPort, label: 'PCI', keepAliveMs: config.keepAliveMs }),
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    for (const server of servers) server.close();
    await store.close();
    process.exit(1);
  }

  const usernames = site.operators
    .map((o) => `${o.username} (${o.role}${o.profile && o.profile !== o.role ? `, profile ${o.profile}` : ''})`)
    .join(', ');
  // The otpauth links hold the TOTP secrets: written to a 0600 file in the data directory, never printed.
  const totpFile = seed.totp.length > 0 ? writeTotpEnrolment(dir, seed.totp) : undefined;
  const leftover = join(dir, TOTP_ENROLMENT_FILE);
  // Until it is deleted, the enrolment file is a clear copy of those TOTP secrets beside the
  // database (whatever the key custody): say so at every start while it is there.
  const totpLines =
    totpFile !== undefined
      ? [
          `Second factor (TOTP): the enrolment links of ${seed.totp.map((t) => t.username).join(', ')} are in ${totpFile} (mode 0600).`,
          '  Add each to an authenticator app, then delete the file: until then it holds their secrets in clear.',
        ]
      : existsSync(leftover)
        ? [`Warning: ${leftover} still holds TOTP secrets in clear. Delete it once every operator has enrolled.`]
        : site.operators.some((o) => o.role !== 'agent')
          ? ['Managers and admins sign in with a TOTP code; their enrolment links were written to the enrolment file at first start.']
          : [];
  const passwordLine =
    seed.password === 'generated'
      ? `Password:    ${seed.generated}   (${seed.only ? `for ${seed.only.join(', ')} only: another instance set the others' at the same moment; ` : ''}shown only this once; set SECURE_FORMS_DEMO_PASSWORD to choose one)`
      : seed.password === 'from-env'
        ? 'Password:    the value of SECURE_FORMS_DEMO_PASSWORD'
        : `Password:    printed at first start. To reset it, set SECURE_FORMS_DEMO_PASSWORD or delete ${dir}`;
  // The lines logged while starting (written in batches) come before the banner, not after it.
  logLines.flushSync();
  process.stdout.write(
    [
      '',
      'Secure Forms demo is running.',
      `  Chat page (brand):     ${brandOrigin}/`,
      `  Agent workspace:       ${brandOrigin}/agent`,
      `  PCI service:           ${pciOrigin}/v1`,
      `  Keys:                  ${keys.summary}`,
      ...keys.warnings.map((warning) => `  ${warning}`),
      '',
      `Sign in to the agent workspace as: ${usernames}`,
      passwordLine,
      // Said at every start: the demo site leaves agents without a second factor on purpose.
      ...(site.secondFactor.agents
        ? []
        : [
            'Agents sign in with a password only here (secondFactor.agents is false), so you can try it without a passkey.',
            'Managers and admins confirm with a passkey or a TOTP code; anyone adds a passkey in the workspace ("Passkeys").',
          ]),
      ...otherSites,
      ...totpLines,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, deadlineMs: config.shutdownDeadlineMs }, 'shutting down');
    clearInterval(housekeeping);
    clearInterval(webhooks);
    // Past the deadline and the closing of the resources, something hangs: end anyway, and say so.
    setTimeout(() => {
      process.stderr.write('Secure Forms did not shut down in time; exiting.\n');
      process.exit(1);
    }, config.shutdownDeadlineMs + 5000).unref();
    void shutDown({
      app,
      servers,
      deadlineMs: config.shutdownDeadlineMs,
      logger,
      closeResources: async () => {
        await app.close();
        keys.custody.close();
        // The audit lines still in the stream reach the disk before the process ends.
        await audit.close();
        await store.close();
      },
    }).then(
      () => process.exit(0),
      (error: unknown) => {
        // The name only: a driver's message may hold a connection string.
        logger.error({ error: error instanceof Error ? error.name : typeof error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Secure Forms could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
