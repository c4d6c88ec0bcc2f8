// Preloaded only into the demo process of the memory run (`node --expose-gc --import this`): on
// SIGUSR2, a full garbage collection, then what the process's memory is made of written to the
// file named by BENCH_MEMORY_REPORT: process.memoryUsage(), the V8 heap's resident pages, and the
// resident set split into anonymous memory (heaps) and file pages (node's code, shared
// libraries), from /proc/self/status. The server's own code is unchanged.
//
// Plain JavaScript on purpose, not TypeScript like the rest of the bench: this file runs inside a
// measured process (the demo, which runs its compiled JavaScript); a TypeScript loader (tsx) there
// would add about 27 MB of RSS and 1.5 s of start-up to what the bench measures.
import { readFileSync, writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

/** A `/proc/self/status` line in bytes (Linux), or null. */
function status(name) {
  try {
    const kb = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const file = process.env.BENCH_MEMORY_REPORT;
  if (!file) return;
  const report = {
    ...process.memoryUsage(),
    heapPhysical: getHeapStatistics().total_physical_size,
    rssAnon: status('RssAnon'),
    rssFile: status('RssFile'),
    rssShmem: status('RssShmem'),
  };
  writeFileSync(file, JSON.stringify(report));
});
