/**
 * Every environment variable the server and its operator commands read, in one zod schema, each
 * with its default and meaning (the README's table is generated from this list: `npm run
 * docs:config -w @secure-forms/demo`). main.ts and cli.ts read the environment only through
 * {@link readEnvironment}; a bad value stops them with one line per variable, never the value.
 */
import * as z from 'zod';
import { INSTANCE_NAME } from '../audit/file-sink.js';
import { parseTrustedProxies, TrustedProxiesError } from '../http/client.js';
import { CacheSizeError, parseCacheKib } from '../storage/cache-size.js';

/** Who reads a variable: the server process (main.ts, cli.ts), or start.sh before node starts. */
export type ReadBy = 'server' | 'start.sh';

/** One variable: its schema (on the raw string), its default as the docs say it, and its meaning. */
export interface Variable {
  name: string;
  schema: z.ZodType<string | undefined>;
  default: string;
  meaning: string;
  readBy: ReadBy;
}

const text = z.string().optional();

const port = z
  .string()
  .optional()
  .refine((raw) => raw === undefined || raw === '' || (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65535), {
    message: 'must be a port number (1-65535)',
  });

/** Refines with a parser that throws a known error: its message is the issue (it never quotes a secret). */
function parsedBy(parse: (raw: string | undefined) => unknown, known: new (...args: never[]) => Error) {
  return z
    .string()
    .optional()
    .superRefine((raw, ctx) => {
      try {
        parse(raw);
      } catch (error) {
        if (!(error instanceof known)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    });
}

/** A whole number from `min` to `max`. */
function wholeNumber(min: number, max: number) {
  return z
    .string()
    .optional()
    .refine((raw) => !raw || (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max), {
      message: `must be a whole number from ${min} to ${max}`,
    });
}

/** Whether `raw` is exactly an http(s) origin (what a browser sends in `Origin`), nothing more. */
function isOrigin(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === raw;
  } catch {
    return false;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The variables, in the order the README lists them. */
export const VARIABLES: readonly Variable[] = [
  { name: 'PORT', schema: port, default: '8080', meaning: 'brand origin port (localhost)', readBy: 'server' },
  { name: 'PCI_PORT', schema: port, default: '8443', meaning: 'PCI origin port (127.0.0.1)', readBy: 'server' },
  {
    name: 'SECURE_FORMS_DATA_DIR',
    schema: text,
    default: '`demo/.data`',
    meaning: 'SQLite database, master key file, daily audit files (`audit-YYYY-MM-DD.log`); relative to the repository root',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_SITES_FILE',
    schema: text,
    default: '`demo/server/sites.json`',
    meaning: 'sites, brand origins, forms, policy, TTLs, profiles, operators (validated at start)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_DEMO_PASSWORD',
    schema: text,
    default: 'generated',
    meaning: 'password of the demo accounts (≥ 12 characters, letters and digits)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_DEMO_TOTP_SECRET',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || /^[A-Z2-7]{16,}$/.test(raw), {
        message: 'must be base32 (A-Z, 2-7), at least 16 characters. Unset it to have one generated.',
      }),
    default: 'generated per operator',
    meaning: 'base32 TOTP secret for managers and admins enrolled from now on (the e2e tests set it)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_KEY_CUSTODY',
    schema: text,
    default: '`local`',
    meaning: '`local` (key files, the demo) or `pkcs11` (keys in an HSM; see below)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_MASTER_KEY',
    schema: text,
    default: 'generated into the key dir (mode 0600)',
    meaning: "base64 of 32 bytes; the local key custody's master key (wraps the data keys)",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_KEY_DIR',
    schema: text,
    default: 'the data dir',
    meaning: 'where the local custody keeps `master.key` and the history keys',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_ALLOW_LOCAL_KEYS',
    schema: text,
    default: 'unset (`npm start` sets `1`)',
    meaning: '`1` lets the local custody keep its key files in the data dir (demo only)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_MODULE',
    schema: text,
    default: '`/usr/lib/softhsm/libsofthsm2.so`',
    meaning: "pkcs11 custody: the HSM's PKCS#11 library (SoftHSM2's by default)",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_TOKEN_LABEL',
    schema: text,
    default: 'none',
    meaning: 'pkcs11 custody: the label of the token holding the keys (or `SECURE_FORMS_PKCS11_SLOT`)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_SLOT',
    schema: text,
    default: 'none',
    meaning: 'pkcs11 custody: the slot id of that token, instead of its label',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_PIN_FILE',
    schema: text,
    default: 'none',
    meaning: "pkcs11 custody: a file (outside the data dir, this user's only) holding the token PIN",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_PIN',
    schema: text,
    default: 'none',
    meaning: 'pkcs11 custody: the token PIN itself, when there is no PIN file',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PKCS11_KEY_LABEL',
    schema: text,
    default: '`secure-forms`',
    meaning: "pkcs11 custody: the prefix of the keys' labels in the token",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_TRUSTED_PROXIES',
    schema: parsedBy(parseTrustedProxies, TrustedProxiesError),
    default: 'none',
    meaning: 'IPs and CIDRs of the TLS proxies in front of the PCI origin (see below)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_PCI_ORIGIN',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || isOrigin(raw), { message: 'must be an origin: http(s)://host[:port], no path' }),
    default: '`http://127.0.0.1:{PCI_PORT}`',
    meaning: 'the PCI origin as browsers reach it, when a proxy or load balancer is in front (several instances behind one origin)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_SQLITE_CACHE_KIB',
    schema: parsedBy(parseCacheKib, CacheSizeError),
    default: '2048 (set by `start.sh`)',
    meaning: "SQLite's page cache in KiB (better-sqlite3's own default is 16 MB)",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_REDIS_URL',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || /^rediss?:\/\/[^\s]+$/.test(raw), {
        message: 'must be a redis:// or rediss:// URL. Unset it to keep this state in memory.',
      }),
    default: 'none (process memory)',
    meaning: 'Redis for what expires (off-the-record values, rate limits, stream slots) and the event log, shared by every instance',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_REDIS_PREFIX',
    schema: text,
    default: '`secure-forms:`',
    meaning: 'the start of every Redis key: instances with the same prefix share their state',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_REDIS_ALLOW_PERSISTENCE',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || raw === '1', { message: 'must be 1, or unset' }),
    default: 'unset',
    meaning: '`1` lets the server use a Redis with RDB or AOF on (off-the-record values would reach its disk)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || raw === '1', { message: 'must be 1, or unset' }),
    default: 'unset',
    meaning: '`1` lets webhooks go to private and loopback hosts, and over http to loopback (tests, local demo; not production)',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_INSTANCE_ID',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || INSTANCE_NAME.test(raw), { message: 'must be 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)' }),
    default: 'none',
    meaning: "this instance's name when several share a data directory: its audit file is then `audit-YYYY-MM-DD.<id>.log`",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_KEEP_ALIVE_SECONDS',
    schema: wholeNumber(1, 240),
    default: '65',
    meaning: "how long an idle HTTP connection stays open (1-240); above a proxy's idle timeout (see below)",
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_SHUTDOWN_DEADLINE_MS',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || (/^\d+$/.test(raw) && Number(raw) >= 100 && Number(raw) <= 600_000), {
        message: 'must be a whole number of milliseconds, 100 to 600000',
      }),
    default: '10000',
    meaning: 'on SIGTERM/SIGINT, how long in-flight requests may take to finish before their connections are cut',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_DATABASE_URL',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || /^postgres(ql)?:\/\//.test(raw), { message: 'must be a postgres:// URL (or unset, for SQLite)' }),
    default: 'unset: SQLite in the data directory',
    meaning: 'PostgreSQL for every durable row (`postgres://user:password@host:5432/db`); never logged with its password',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_DATABASE_POOL_SIZE',
    schema: wholeNumber(1, 1000),
    default: '10',
    meaning: 'PostgreSQL: connections each server process keeps at most',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS',
    schema: wholeNumber(100, 600_000),
    default: '5000',
    meaning: 'PostgreSQL: a statement running longer is cancelled and the request answered 503 with Retry-After',
    readBy: 'server',
  },
  {
    name: 'LOG_LEVEL',
    schema: z
      .string()
      .optional()
      .refine((raw) => !raw || (LOG_LEVELS as readonly string[]).includes(raw), { message: `must be one of ${LOG_LEVELS.join(', ')}` }),
    default: '`info`',
    meaning:
      'the operational log (JSON lines on stdout, written in batches: at most a quarter of a second late, and whatever is held at exit): `fatal` … `trace`, or `silent`',
    readBy: 'server',
  },
  {
    name: 'SECURE_FORMS_SEMI_SPACE_MIB',
    schema: text,
    default: '8 (read by `start.sh`)',
    meaning: "V8's young-generation semi-space (`--max-semi-space-size`)",
    readBy: 'start.sh',
  },
  {
    name: 'SECURE_FORMS_HEAP_GROWING_PERCENT',
    schema: text,
    default: '50 (read by `start.sh`)',
    meaning: "how far V8's old generation grows past what its last full collection kept (`--heap-growing-percent`)",
    readBy: 'start.sh',
  },
  {
    name: 'MALLOC_MMAP_THRESHOLD_',
    schema: text,
    default: '131072 (set by `start.sh`)',
    meaning: 'glibc: larger allocations are returned to the system when freed',
    readBy: 'start.sh',
  },
];

/** The environment's schema: the variables above, each optional, anything else ignored. */
export const environmentSchema = z.object(Object.fromEntries(VARIABLES.map((v) => [v.name, v.schema])));

/** The variables the server reads, validated (unset and empty alike are `undefined`). */
export type Environment = Partial<Record<string, string>>;

/** A variable with a value the server cannot use: one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validate `env` (usually process.env); throws ConfigError naming each bad variable. */
export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const name = issue.path.map(String).join('.');
          // The parsers' own sentences already start with the variable's name.
          return issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`;
        })
        .join('\n'),
    );
  }
  const read: Environment = {};
  for (const { name, readBy } of VARIABLES) {
    const value = env[name];
    if (readBy === 'server' && value !== undefined && value !== '') read[name] = value;
  }
  return read;
}
