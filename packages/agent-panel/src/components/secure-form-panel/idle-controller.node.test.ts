import { describe, expect, it } from 'vitest';
import { IDLE_WARNING_MS, MIN_IDLE_TIMEOUT_MS, idleTimeoutMs } from './idle-controller.js';

describe('idleTimeoutMs', () => {
  it('runs at least a minute, so that the 30 s warning comes at least 20 s before the clear (WCAG 2.2.1)', () => {
    expect(idleTimeoutMs(1)).toBe(60_000);
    expect(idleTimeoutMs(10)).toBe(60_000);
    expect(idleTimeoutMs(59.5)).toBe(60_000);
    expect(idleTimeoutMs(60)).toBe(60_000);
    expect(idleTimeoutMs(900)).toBe(900_000);
    expect(MIN_IDLE_TIMEOUT_MS - IDLE_WARNING_MS).toBeGreaterThanOrEqual(20_000);
    expect(IDLE_WARNING_MS).toBeGreaterThanOrEqual(20_000);
  });

  it('is off for 0 or less; not a number (an unparsable attribute) runs the shortest timer rather than none', () => {
    expect(idleTimeoutMs(0)).toBe(0);
    expect(idleTimeoutMs(-5)).toBe(0);
    expect(idleTimeoutMs(Number.NaN)).toBe(60_000);
  });
});
