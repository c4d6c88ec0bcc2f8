/** Opening the app from a configuration: the ephemeral state it asks for, or a refusal that says what to do. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStartProblem, openApp } from './bootstrap.js';
import { serverConfig } from './config/index.js';
import { createLogger } from './logger.js';

function setup(env: Record<string, string>) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const dir = mkdtempSync(join(tmpdir(), 'sf-open-'));
  return { config: serverConfig({ SECURE_FORMS_DATA_DIR: dir, SECURE_FORMS_ALLOW_LOCAL_KEYS: '1', ...env }), logger, lines };
}

describe('openApp', () => {
  it('keeps the ephemeral state in memory without SECURE_FORMS_REDIS_URL, and says so in the log', async () => {
    const { config, logger, lines } = setup({});
    const opened = await openApp(config, logger);
    try {
      expect(opened.app.services.rt.ephemeral.kind).toBe('memory');
      expect(lines.join('\n')).toMatch(/"ephemeral":"memory".*ephemeral state opened/);
    } finally {
      await opened.app.close();
      opened.keys.custody.close();
      await opened.audit.close();
      await opened.store.close();
    }
  });

  it('refuses to start on a Redis it cannot reach, naming it without its password', async () => {
    const { config, logger } = setup({ SECURE_FORMS_REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    const refused = await openApp(config, logger).catch((error: unknown) => error);
    expect(isStartProblem(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/redis:\/\/:\*\*\*@127\.0\.0\.1:1.*could not be reached.*SECURE_FORMS_REDIS_URL/);
    expect((refused as Error).message).not.toContain('hunter2');
  });
});
