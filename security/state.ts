/** Facts one spec leaves for a later one, in the run directory. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { STATE_FILE } from './env.js';

export type State = Record<string, unknown>;

export function readState(): State {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State) : {};
}

export function writeState(patch: State): void {
  writeFileSync(STATE_FILE, JSON.stringify({ ...readState(), ...patch }, null, 2));
}
