// The categories of a CPU profile's busy samples, and the rules that put a sample in one: the
// bench's answer to "where does a round trip's CPU go" (profile/summary.ts applies them). One table,
// read top to bottom; the first rule that matches a frame wins.
//
// How a sample is placed (categoryOf): its innermost frame first, then its callers, outwards.
// - V8's own entries decide alone: `(garbage collector)`, `(program)` (native code outside any JS
//   function). `(idle)` is not busy and never reaches the rules.
// - A native frame (no script URL: a C++ binding such as better-sqlite3's Statement#run or a
//   socket's writev) matches only rules with `native`; otherwise its time goes to its caller.
// - A JavaScript frame matches the rules by its URL. A frame of node's core modules that no rule
//   names (node:fs, node:events, node:buffer, streams, timers, the microtask queue) is general
//   purpose: its time goes to its caller, so a log line's write counts as logging and an HTTP
//   response's as HTTP. Any other frame that no rule names is `other`.
// - A stack of node core frames only (a timer's or the microtask queue's own work) is `node`.

/** The categories, in the order the report lists them. */
export const CATEGORIES = {
  sqlite: "SQLite: statements and the log's sync (better-sqlite3, the statement cache, Kysely's driver; the floor's routes)",
  kysely: 'Kysely: building and compiling queries, plugins',
  http: "node's HTTP server, sockets and streams (@hono/node-server, Request and Response)",
  hono: 'Hono: router, middleware chain, context',
  middleware: "the server's middleware",
  server: "the server's own code: domain, routes, storage",
  crypto: 'crypto (hashes, random keys, ciphers)',
  logging: 'logging (pino, sonic-boom, the audit trail)',
  validation: 'validation (zod)',
  'async-hooks': 'async hooks (async context tracking)',
  gc: 'garbage collector',
  program: 'V8 and native code outside any JS function',
  node: 'node core, other (timers, microtask queue, events)',
  other: 'other',
} as const;

export type CategoryId = keyof typeof CATEGORIES;

/** A rule: frames whose script URL matches `url`, or native frames whose function name matches `native`. */
export interface Rule {
  category: CategoryId;
  url?: RegExp;
  native?: RegExp;
}

/** The server's sources, compiled (dist) or run as TypeScript (src). */
const SERVER = String.raw`/demo/server/(?:dist|src)/`;
const nodeModules = (names: string) => new RegExp(String.raw`/node_modules/(?:${names})/`);
const server = (paths: string) => new RegExp(`${SERVER}(?:${paths})`);

/** The rules, first match wins. */
export const RULES: readonly Rule[] = [
  // better-sqlite3's calls are synchronous and native. V8 gives a native call's time to the JS
  // function that makes it (a native frame of its own appears only for some), so the functions
  // that call better-sqlite3 count as SQLite: the server's statement cache and storage plumbing,
  // Kysely's driver, and the essential-work floor's routes, which do nothing but their statements
  // (their hashing and answers are frames of their own: crypto, Hono).
  { category: 'sqlite', native: /^(?:run|all|get|iterate|exec|prepare|pragma|fdatasync|fsync)$/ },
  { category: 'sqlite', url: nodeModules('better-sqlite3') },
  { category: 'sqlite', url: /\/node_modules\/kysely\/.*\/dialect\/sqlite\/sqlite-driver\.js$/ },
  {
    category: 'sqlite',
    url: server(String.raw`storage/(?:statement-cache|prepared|durable-commits|checkpointer|open|cache-size)\.[jt]s$`),
  },
  { category: 'sqlite', url: /\/scripts\/bench\/essential-routes\.mjs$/ },
  { category: 'kysely', url: nodeModules('kysely') },
  {
    category: 'logging',
    url: nodeModules('pino|pino-[^/]+|sonic-boom|thread-stream|fast-redact|on-exit-leak-free|quick-format-unescaped|atomic-sleep'),
  },
  { category: 'logging', url: server(String.raw`audit/|middleware/(?:audit-trail|request-log)/|logger\.[jt]s$`) },
  { category: 'crypto', url: /^node:(?:internal\/crypto\/.*|crypto)$/ },
  { category: 'crypto', url: nodeModules('jose|@noble/[^/]+') },
  { category: 'crypto', url: server('crypto/') },
  { category: 'validation', url: nodeModules('zod|@hono/zod-validator') },
  { category: 'async-hooks', url: /^node:(?:internal\/)?async_hooks$|^node:internal\/async_local_storage\// },
  { category: 'http', url: /^node:(?:_http_\w+|https?|net|internal\/(?:stream_base_commons|http|net|webstreams\/.*|deps\/undici\/.*))$/ },
  { category: 'http', url: nodeModules('@hono/node-server') },
  { category: 'hono', url: nodeModules('hono') },
  { category: 'middleware', url: server('middleware/') },
  { category: 'server', url: new RegExp(SERVER) },
  { category: 'server', url: /\/packages\/shared\/|\/node_modules\/@secure-forms\// },
  { category: 'server', url: /\/scripts\/bench\/bare-server\.mjs$/ },
];

/** A profile's call frame, as far as the rules read it. */
export interface Frame {
  functionName: string;
  url: string;
}

/** The category of a sample, from its stack: the innermost frame first (see the header). */
export function categoryOf(stack: readonly Frame[], rules: readonly Rule[] = RULES): CategoryId {
  const leaf = stack[0];
  if (leaf?.functionName === '(garbage collector)') return 'gc';
  if (leaf?.functionName === '(program)') return 'program';
  for (const frame of stack) {
    if (frame.url === '') {
      const rule = rules.find((r) => r.native?.test(frame.functionName));
      if (rule) return rule.category;
      continue;
    }
    const rule = rules.find((r) => r.url?.test(frame.url));
    if (rule) return rule.category;
    if (!frame.url.startsWith('node:')) return 'other';
  }
  return 'node';
}
