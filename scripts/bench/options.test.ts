import { describe, expect, it } from 'vitest';
import { browserMeasurements, measurementsOf } from './options.ts';

describe('the measurements --only asks for', () => {
  it('takes every measurement without --only, open to interactive as part of the browser ones', () => {
    const all = measurementsOf(undefined);
    expect([...all]).toEqual(['sizes', 'browser', 'load', 'memory', 'cluster']);
    expect(browserMeasurements(all)).toBe('all');
  });

  it('runs open to interactive alone with --only open: no other browser measurement, no load', () => {
    const open = measurementsOf('open');
    expect([...open]).toEqual(['open']);
    expect(browserMeasurements(open)).toBe('open');
  });

  it('takes the whole browser set when both browser and open are named', () => {
    expect(browserMeasurements(measurementsOf('open, browser'))).toBe('all');
    expect(browserMeasurements(measurementsOf('load'))).toBe('none');
  });

  it('refuses a name it does not know, or none, and says which it knows', () => {
    expect(() => measurementsOf('open,opne')).toThrow(/unknown measurement "opne" \(known: sizes, browser, open, load, memory, cluster\)/);
    expect(() => measurementsOf(' , ')).toThrow(/name at least one measurement/);
  });
});
