/**
 * The operational log: pino, JSON lines. Secrets are redacted by key as a second line of defence;
 * the first is that no code here passes a value, key, token or password to the logger.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

const SECRET_KEYS = [
  'authorization',
  'password',
  'token',
  'otk',
  'viewOtk',
  'submitOtk',
  'retrieveOtk',
  'conversationToken',
  'onTheRecord',
  'offTheRecord',
  'cookie',
  'headers',
  'body',
  'masterKey',
  'totp',
  'totpSecret',
  'challenge',
  'secret',
  'd',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers["secure-forms-session"]',
  'req.headers["secure-forms-conversation"]',
];

export type { Logger };

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const config = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'secure-forms-pci' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
