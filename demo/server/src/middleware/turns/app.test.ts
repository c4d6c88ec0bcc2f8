/** The PCI app starts API requests in turns (middleware/turns): a burst never holds the event loop to its end. */
import { describe, expect, it } from 'vitest';
import { harness } from '../../test/harness.js';

describe('API requests through the PCI app', () => {
  it('let the event loop come round within a burst of 40: at most two turns of 8 start before it does', async () => {
    const h = await harness();
    const order: string[] = [];
    const burst = Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await h.request('/v1/openapi.json');
        order.push('answer');
        return res.status;
      }),
    );
    // Scheduled when the burst arrived: with every request started at once it runs after all forty answers.
    setImmediate(() => order.push('loop'));
    expect(await burst).toEqual(Array(40).fill(200));
    expect(order.indexOf('loop')).toBeGreaterThan(0);
    expect(order.indexOf('loop')).toBeLessThanOrEqual(16);
  });
});
