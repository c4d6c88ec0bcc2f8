/**
 * Operator commands on the data directory, with the same configuration as the server. They run
 * compiled by `npm run build` (`node demo/server/dist/cli.js …`); `openapi`, which writes a
 * document from the current source, runs under tsx (`npm run openapi -w @secure-forms/demo`):
 *
 *   cli.js rotate-key   re-wrap every stored record under a new data key id
 *   cli.js purge        expire invitations, purge past-retention records, transcripts and audit files
 *   cli.js unlock <site> <username>  end an operator's sign-in lock (break glass)
 *   cli.js openapi [file]  write the OpenAPI document (default docs/openapi.json)
 *   cli.js config-table [file]  write the environment table (default README.md) from config/environment.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from './bootstrap.js';
import { serverConfig } from './config/index.js';
import { withEnvironmentTable } from './config/table.js';
import { unlockCommand } from './accounts/unlock-command.js';
import { createLogger } from './logger.js';
import { openApiDocument } from './openapi.js';
import { REPO_ROOT } from './paths.js';

/** The app on the configured store, with the same configuration and checks as the server. */
async function open() {
  const config = serverConfig(process.env);
  const { app, store } = await openApp(config, createLogger({ level: config.logLevel }));
  // The store waits for another process's SQLite write lock asynchronously, up to 5 s per write.
  return { app, store };
}

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  if (command === 'rotate-key') {
    const { app, store } = await open();
    const { keyId, rewrapped } = await app.rotateKey();
    // What a command prints leaves the process: once its commits are durable (storage/durable-commits.ts).
    await store.durable();
    process.stdout.write(`Data key rotated to ${keyId}; ${rewrapped} record(s) re-wrapped.\n`);
    await app.close();
    await store.close();
  } else if (command === 'purge') {
    const { app, store } = await open();
    const r = await app.purge();
    await store.durable();
    process.stdout.write(
      `Purged ${r.submissions} submission(s), ${r.transcripts} closed conversation(s) and ${r.auditPurged} daily audit file(s); expired ${r.invitationsExpired} invitation(s).\n`,
    );
    await app.close();
    await store.close();
  } else if (command === 'unlock') {
    const { app, store } = await open();
    const { message, exitCode } = await unlockCommand(app.accounts, app.services.rt.audit, Date.now, arg, process.argv[4]);
    await store.durable();
    process.stdout.write(`${message}\n`);
    await app.services.rt.audit.close?.();
    await app.close();
    await store.close();
    if (exitCode !== 0) process.exit(exitCode);
  } else if (command === 'openapi') {
    const file = arg ?? join(REPO_ROOT, 'docs/openapi.json');
    writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
    process.stdout.write(`Wrote ${file}\n`);
  } else if (command === 'config-table') {
    const file = arg ?? join(REPO_ROOT, 'README.md');
    writeFileSync(file, withEnvironmentTable(readFileSync(file, 'utf8')));
    process.stdout.write(`Wrote the environment table in ${file}\n`);
  } else {
    process.stderr.write('Usage: cli.ts rotate-key | purge | unlock <site id> <username> | openapi [file] | config-table [file]\n');
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
