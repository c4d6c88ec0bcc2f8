// For the engines' test: start both engines, print what started (one JSON line), then wait to be
// signalled. Not used by anything else.
import { startEngines } from './index.ts';

void startEngines({ postgres: true, redis: true }).then((engines) => {
  process.stdout.write(`${JSON.stringify({ pids: engines.pids, dir: engines.dir })}\n`);
  setInterval(() => undefined, 60_000);
});
