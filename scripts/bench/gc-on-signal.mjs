// Preloaded only into the demo process of the memory run (`node --expose-gc --import this`): on
// SIGUSR2, a full garbage collection, then process.memoryUsage() written to the file named by
// BENCH_MEMORY_REPORT, so the bench can tell the JavaScript heap from the rest of the resident
// set. The server's own code is unchanged.
import { writeFileSync } from 'node:fs';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const file = process.env.BENCH_MEMORY_REPORT;
  if (file) writeFileSync(file, JSON.stringify(process.memoryUsage()));
});
