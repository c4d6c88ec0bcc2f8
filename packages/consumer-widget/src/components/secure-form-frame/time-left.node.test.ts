import { describe, expect, it } from 'vitest';
import { extendOffer, timeLeftText, warningAnnouncement } from './time-left.js';

describe('the time left', () => {
  it('is said in whole minutes from two minutes, then as one minute, then in seconds (rounded up)', () => {
    expect(timeLeftText(30 * 60_000)).toBe('You have 30 minutes left to send this form.');
    expect(timeLeftText(179_000)).toBe('You have 2 minutes left to send this form.');
    expect(timeLeftText(120_000)).toBe('You have 2 minutes left to send this form.');
    expect(timeLeftText(119_000)).toBe('You have 1 minute left to send this form.');
    expect(timeLeftText(60_000)).toBe('You have 1 minute left to send this form.');
    expect(timeLeftText(59_001)).toBe('You have 1 minute left to send this form.');
    expect(timeLeftText(59_000)).toBe('You have 59 seconds left to send this form.');
    expect(timeLeftText(9_200)).toBe('You have 10 seconds left to send this form.');
    expect(timeLeftText(-5_000)).toBe('You have 0 seconds left to send this form.');
  });

  it('is announced at three steps only, with the next step for the visitor', () => {
    const spoken = new Set([60_000, 45_000, 30_001, 30_000, 20_000, 10_001, 10_000, 1].map((ms) => warningAnnouncement(ms, true)));
    expect([...spoken]).toEqual([
      'You have less than a minute left to send this form. Do you need more time? Your answers stay as they are.',
      'You have less than 30 seconds left to send this form. Do you need more time? Your answers stay as they are.',
      'You have less than 10 seconds left to send this form. Do you need more time? Your answers stay as they are.',
    ]);
    expect(warningAnnouncement(5_000, false)).toBe(
      'You have less than 10 seconds left to send this form. Send the form now: no more time can be added.',
    );
    expect(extendOffer(false)).toBe('Send the form now: no more time can be added.');
  });
});
