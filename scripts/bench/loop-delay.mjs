// Preloaded into the demo process of the load run (`node --import this`, with an IPC channel):
// the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution) while the load runs,
// and the garbage collector's pauses in the same time (PerformanceObserver 'gc' entries: V8's
// kind of collection and its duration), the long turns that are not the server's own work.
// The bench sends { loopDelay: 'reset' } before a run and { loopDelay: 'read' } after it; the
// answer is { loopDelay: { p50, p99, max, mean }, gc: [[kind, ms], …] } in milliseconds (the bench
// sums the pauses up: gc-pauses.ts). The server's own code is unchanged.
//
// Plain JavaScript on purpose, not TypeScript like the rest of the bench: this file runs inside a
// measured process (the demo, which runs its compiled JavaScript); a TypeScript loader (tsx) there
// would add about 27 MB of RSS and 1.5 s of start-up to what the bench measures.
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;

// A run sees tens of collections a second; the cap only guards a process that is never read.
const MAX_PAUSES = 100_000;
let gc = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (gc.length < MAX_PAUSES) gc.push([entry.detail?.kind ?? 0, Math.round(entry.duration * 1000) / 1000]);
}).observe({ entryTypes: ['gc'] });

process.on('message', (message) => {
  if (message?.loopDelay === 'reset') {
    histogram.reset();
    gc = [];
  }
  if (message?.loopDelay === 'read') {
    process.send?.({
      loopDelay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean) },
      gc,
    });
  }
});
// The channel must not keep the server alive, nor count as work.
process.channel?.unref();
