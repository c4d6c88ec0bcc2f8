// Preloaded into the demo process of the load run (`node --import this`, with an IPC channel):
// the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution) while the load runs.
// The bench sends { loopDelay: 'reset' } before a run and { loopDelay: 'read' } after it; the
// answer is { loopDelay: { p50, p99, max, mean } } in milliseconds. The server's own code is unchanged.
//
// Plain JavaScript on purpose, not TypeScript like the rest of the bench: this file runs inside a
// measured process (the demo, which runs its compiled JavaScript); a TypeScript loader (tsx) there
// would add about 27 MB of RSS and 1.5 s of start-up to what the bench measures.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;

process.on('message', (message) => {
  if (message?.loopDelay === 'reset') histogram.reset();
  if (message?.loopDelay === 'read') {
    process.send?.({
      loopDelay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean) },
    });
  }
});
// The channel must not keep the server alive, nor count as work.
process.channel?.unref();
