/** Stop whichever demo server process is current (a spec may have killed and restarted it). */
import { stopServer } from './server.js';

export default async function globalTeardown(): Promise<void> {
  await stopServer('SIGTERM');
}
