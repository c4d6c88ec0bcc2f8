// The benchmark's pure logic: percentiles, ratios and verdicts, bundle-size sums, the report and the chart.
import { describe, expect, it } from 'vitest';
import { brokenBudgets, goal, median, percentile, ratio, steadyRate, summarize, verdict } from './stats.ts';
import { inlineScripts, isLocaleChunk, measureFiles } from './sizes.ts';
import { chartSections, goalsOf, markdownReport, resultsChart, svgChart } from './report.ts';
import { sample } from './results.fixture.ts';

describe('percentiles', () => {
  it('uses the nearest rank: always one of the samples', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it('p95 of 20 runs is the 19th smallest; order of input does not matter', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 99)).toBe(20);
  });

  it('ignores non-finite samples and refuses a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([Number.NaN, 3], 50)).toBe(3);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('the median averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeUndefined();
  });

  it('summarizes with rounding, and nulls for no samples', () => {
    expect(summarize([1.234, 2.345, 3.456])).toEqual({ n: 3, min: 1.23, median: 2.35, p95: 3.46, p99: 3.46, max: 3.46, mean: 2.35 });
    expect(summarize([])).toEqual({ n: 0, min: null, median: null, p95: null, p99: null, max: null, mean: null });
  });
});

describe('ratios and verdicts', () => {
  it('divides, and gives null when the floor is missing or not positive', () => {
    expect(ratio(300, 120)).toBe(2.5);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
  });

  it('compares with the goal in the stated direction', () => {
    expect(verdict(2, { op: '<=', limit: 2 })).toBe('met');
    expect(verdict(2, { op: '<', limit: 2 })).toBe('not met');
    expect(verdict(1000, { op: '>=', limit: 1000 })).toBe('met');
    expect(verdict(999.9, { op: '>=', limit: 1000 })).toBe('not met');
    expect(verdict(51, { op: '>', limit: 50 })).toBe('met');
    expect(verdict(null, { op: '<', limit: 1 })).toBe('not measured');
  });

  it('only budgets that are not met fail the command', () => {
    const goals = [
      goal('a', 'size a', 11, '<=', 10, 'bytes', { fails: true }),
      goal('b', 'size b', 9, '<=', 10, 'bytes', { fails: true }),
      goal('c', 'latency', 99, '<', 50, 'ms'),
      goal('d', 'size d', null, '<=', 10, 'bytes', { fails: true }),
    ];
    expect(brokenBudgets(goals).map((g) => g.id)).toEqual(['a', 'd']);
  });

  it('counts the steady rate after the ramp-up only', () => {
    // 10 s run from t=0; one completion every 100 ms from 3 s on, none before.
    const completed = Array.from({ length: 70 }, (_, i) => 3000 + i * 100);
    expect(steadyRate(completed, 0, 10_000)).toBeCloseTo(70 / 7.5, 5);
    // A short run: the window never starts after half of it.
    expect(steadyRate([1500, 1600], 0, 2000)).toBe(2);
  });
});

describe('bundle sizes', () => {
  const file = (name: string, text: string) => ({ file: name, data: Buffer.from(text) });

  it('tells locale chunks from helpers', () => {
    expect(isLocaleChunk('dist/locales/de-Ab12_x.js')).toBe(true);
    expect(isLocaleChunk('dist/locales/pt-BR-Ab12.js')).toBe(true);
    expect(isLocaleChunk('dist/locales/str-tag-aYxSlJm7.js')).toBe(false);
    expect(isLocaleChunk('dist/secure-form-panel.js')).toBe(false);
  });

  it('adds the always-loaded files, the helpers and the heaviest locale; English only leaves the locale out', () => {
    const always = [file('main.js', 'x'.repeat(1000))];
    const lazy = [
      file('locales/de-1.js', 'de'.repeat(300)),
      file('locales/ar-2.js', 'عربي'.repeat(400)),
      file('locales/str-tag-3.js', 'export const s=1'),
    ];
    const m = measureFiles({ always, lazy });
    expect(m.files).toEqual(['main.js', 'locales/str-tag-3.js']);
    expect(m.heaviestLocale).toBe('locales/ar-2.js');
    expect(m.englishOnly.min).toBe(1000 + 'export const s=1'.length);
    expect(m.min).toBe(m.englishOnly.min + Buffer.from('عربي'.repeat(400)).length);
    expect(m.gzip).toBeGreaterThan(m.englishOnly.gzip);
    expect(m.brotli).toBeGreaterThan(m.englishOnly.brotli);
    expect(m.gzip).toBeLessThan(m.min);
  });

  it("counts a page's inline scripts, each as a file of its own, and not its scripts loaded by src", () => {
    const html = '<head><script type="module" src="/a.js"></script><script>var first = 1;</script></head><script>two()</script>';
    expect(inlineScripts('page.html', html)).toEqual([
      file('page.html (inline script 1)', 'var first = 1;'),
      file('page.html (inline script 2)', 'two()'),
    ]);
  });

  it('a bundle without locales is its files', () => {
    const m = measureFiles({ always: [file('a.js', 'abc')], lazy: [] });
    expect(m.min).toBe(3);
    expect(m.heaviestLocale).toBeNull();
  });
});

describe('report', () => {
  it('derives every goal with its verdict', () => {
    const goals = goalsOf(sample());
    const byId = Object.fromEntries(goals.map((g) => [g.id, g.verdict]));
    expect(byId).toEqual({
      'size-loader': 'met',
      'size-frame': 'not met',
      'open-cold': 'not met',
      'open-warm': 'met',
      'open-cold-slow': 'met',
      'open-warm-slow': 'not met',
      throughput: 'met',
      cpu: 'met',
      'p99-64': 'met',
      'loop-delay-64': 'met',
      'essential-1': 'not met',
      'essential-64': 'met',
      'overhead-1': 'not met',
      'overhead-64': 'met',
      memory: 'not met',
    });
    expect(brokenBudgets(goals).map((g) => g.id)).toEqual(['size-frame']);
  });

  it('writes a markdown report with every section and escapes element names', () => {
    const md = markdownReport(sample());
    for (const heading of [
      '## Goals',
      '## 1. Bundle sizes',
      '## 2. Open to interactive',
      '### Open to interactive on a slow network',
      '## 3. Submit to revealed',
      '## 4. Backend round trips',
      '## 5. Decrypt',
      '## 6. Server memory',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('&lt;secure-form-invite&gt;');
    expect(md).toContain('**NOT MET** (fails the command)');
    expect(md).toContain('2 cores (Test CPU)');
    expect(md).toContain('150 ms round trip, 1.6 Mbit/s down');
    expect(md).toContain('![Benchmark chart](chart.svg)');
  });

  it('leaves out what was not measured', () => {
    const { sizes } = sample();
    const md = markdownReport({ generatedAt: 'x', machine: {}, sizes });
    expect(md).toContain('## 1. Bundle sizes');
    expect(md).not.toContain('## 4. Backend');
    expect(chartSections({ sizes })).toHaveLength(1);
  });
});

describe('chart', () => {
  it('draws one bar per row, a marker per limit, colours by verdict, and escapes text', () => {
    const svg: string = svgChart({
      title: 'A & B <chart>',
      sections: [
        {
          title: 'sizes',
          digits: 1,
          rows: [
            { label: 'x', value: 5, limit: 10, state: 'met' },
            { label: 'y', value: 12, limit: 10, state: 'not met' },
          ],
        },
        { title: 'other', rows: [{ label: 'z', value: null }] },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('A &amp; B &lt;chart&gt;');
    expect(svg.match(/<rect x="230"/g)).toHaveLength(3);
    expect(svg.match(/<line /g)).toHaveLength(2);
    expect(svg).toContain('fill="#1a7f37"');
    expect(svg).toContain('fill="#cf222e"');
    expect(svg).toContain('not measured');
    // The longest bar (12, scaled by 1.08) stays inside the drawing area.
    const widths = [...svg.matchAll(/<rect x="230" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...widths)).toBeLessThanOrEqual(820 - 230 - 110);
  });

  it('charts a whole results object as well-formed SVG', () => {
    const svg: string = resultsChart(sample());
    expect(svg).toContain('role="img"');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(chartSections(sample()).map((s) => s.title.split(',')[0])).toEqual([
      'Bundle size',
      'Open to interactive',
      'Submit to revealed (ms)',
      'Decrypt one form in Chromium (ms)',
      'Round trips per second (marker: 650); bare route: its requests/s ÷ 4',
      'Per-request p99 latency (ms); marker at concurrency 64: 50 ms',
      'Server memory',
    ]);
  });
});
