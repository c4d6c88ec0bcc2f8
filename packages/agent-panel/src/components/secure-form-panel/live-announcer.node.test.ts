import { describe, expect, it } from 'vitest';
import { LiveAnnouncer } from './live-announcer.js';

/** A host that records what the live region said at each update. */
function setup() {
  const said: string[] = [];
  const host = {
    requestUpdate: () => void said.push(announcer.text),
    updateComplete: Promise.resolve(true),
  };
  const announcer = new LiveAnnouncer(host);
  return { announcer, said };
}

describe('LiveAnnouncer', () => {
  it('clears the region before each text, so that the same text twice is announced twice', async () => {
    const { announcer, said } = setup();
    await announcer.announce('Answers ready');
    await announcer.announce('Answers ready');
    expect(said).toEqual(['', 'Answers ready', '', 'Answers ready']);
    announcer.reset();
    expect(announcer.text).toBe('');
  });

  it('announces the off-the-record countdown at 60, 30 and 10 s left, not at a step it started below', async () => {
    const { announcer, said } = setup();
    const expires = 45_000;
    for (const now of [0, 14_000, 15_000, 34_000, 35_000, 44_000]) {
      announcer.countdown(expires, now);
      await Promise.resolve();
    }
    await Promise.resolve();
    expect(said.filter(Boolean)).toEqual([
      'Off-the-record answers are deleted in 30 seconds',
      'Off-the-record answers are deleted in 10 seconds',
    ]);
    // Stopped (nothing held), then a new countdown: it waits for its next step again.
    announcer.countdown(null, 0);
    announcer.countdown(100_000, 50_000);
    await Promise.resolve();
    expect(said.filter(Boolean)).toHaveLength(2);
  });
});
