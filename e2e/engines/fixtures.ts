/**
 * The engine specs' fixtures: `engine` (the project's option) and `people`, which starts a
 * person's browser in that engine and closes every browser it started when the test ends.
 */
import { writeFileSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { DRIVER_PORTS } from './env.js';
import { firefox } from './firefox.js';
import { webkit } from './webkit.js';
import type { Person } from './person.js';

/** The engines this run covers besides Chromium, each with the function that starts a person's browser in it. */
const ENGINES = { firefox, webkit };

export type Engine = keyof typeof ENGINES;

/** Starts the browser of the visitor or the agent, in a language (`navigator.language`). */
export type People = (who: 'visitor' | 'agent', lang?: string) => Promise<Person>;

export const test = base.extend<{ engine: Engine; people: People }>({
  engine: ['firefox', { option: true }],
  people: async ({ engine, baseURL }, use, testInfo) => {
    const started: [string, Person][] = [];
    // Browsers still starting when the test ends (one failed to start while the other was
    // starting) are waited for, so that they are closed below rather than left running.
    const starting: Promise<unknown>[] = [];
    await use(async (who, lang) => {
      const options = { baseURL: baseURL!, port: DRIVER_PORTS[engine][who], lang };
      const start = ENGINES[engine](options).then((person) => {
        started.push([who, person]);
        return person;
      });
      starting.push(start);
      return start;
    });
    await Promise.allSettled(starting);
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const [who, person] of started) {
        const body = await person.screenshot().catch(() => null);
        if (body) await testInfo.attach(`${who} at the end`, { body, contentType: 'image/png' });
        if (body) writeFileSync(testInfo.outputPath(`${who}.png`), body);
      }
    }
    await Promise.all(started.map(([, person]) => person.close()));
  },
});

export { expect } from '@playwright/test';
