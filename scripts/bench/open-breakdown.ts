#!/usr/bin/env node
// Where the time from "Open secure form" to the first focusable field goes, step by step: the same
// cold and warm opens as the bench's open-to-interactive measurement (scripts/bench/browser.ts), on
// the demo built in this tree, with each step's time read inside the pages (resource and navigation
// timing, the frame protocol's messages as they arrive, the frame element's definition), all on one
// clock (performance.timeOrigin + performance.now()) and given in ms after the click.
//
//   node --import tsx scripts/bench/open-breakdown.ts [--runs N] [--slow]
//
// `npm run build` first. BENCH_PORTS=brand,pci,bare,floor as for the bench (only brand and pci are
// used here). --slow: under the bench's slow-network emulation (SLOW_NETWORK).
import { rmSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Frame, Page } from 'playwright';
import { agentSetup } from './agent-setup.ts';
import { SLOW_NETWORK, emulateNetwork, launch, probedContext } from './browser-harness.ts';
import { clickToField, demoInvite } from './browser.ts';
import { benchSitesFile, startDemo } from './processes.ts';
import { median } from './stats.ts';

declare global {
  interface Window {
    __bd?: { start: number; msgs: { t: number; type: string }[]; defined?: number; long: { t: number; ms: number }[] };
  }
}

/** Runs in every page and frame before its scripts: when the document started, each protocol message's arrival, long tasks. */
function breakdownProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const bd: NonNullable<Window['__bd']> = { start: now(), msgs: [], long: [] };
  window.__bd = bd;
  addEventListener(
    'message',
    (event: MessageEvent) => {
      const data = event.data as { protocol?: unknown; type?: unknown } | null;
      if (data && typeof data === 'object' && typeof data.type === 'string') bd.msgs.push({ t: now(), type: data.type });
    },
    true,
  );
  void customElements.whenDefined('secure-form-frame').then(() => (bd.defined = now()));
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bd.long.push({ t: performance.timeOrigin + e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task timing
  }
}

/** What one window saw, in absolute ms. */
interface Seen {
  origin: number;
  bd: NonNullable<Window['__bd']>;
  nav: Record<string, number> | null;
  resources: { name: string; start: number; end: number; size: number }[];
}

const collect = (target: Page | Frame): Promise<Seen> =>
  target.evaluate(() => {
    const o = performance.timeOrigin;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const pick = (n: PerformanceNavigationTiming) =>
      Object.fromEntries(
        (
          [
            'fetchStart',
            'requestStart',
            'responseStart',
            'responseEnd',
            'domInteractive',
            'domContentLoadedEventEnd',
            'loadEventEnd',
          ] as const
        ).map((k) => [k, o + n[k]]),
      );
    return {
      origin: o,
      bd: window.__bd!,
      nav: nav ? pick(nav) : null,
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
        name: new URL(r.name).pathname.replace(/-[A-Za-z0-9_-]{8}\.(js|css)$/, '.$1'),
        start: o + r.startTime,
        end: o + r.responseEnd,
        size: r.transferSize,
      })),
    };
  });

/** The steps of one open, in ms after the click. */
function steps(click: number, field: number, host: Seen, frame: Seen, since: number): Record<string, number> {
  const at = (t: number | undefined) => (t === undefined ? NaN : t - click);
  const out: Record<string, number> = {};
  const openReq = host.resources.filter((r) => r.name.endsWith('/open') && r.start >= since - 1).at(-1);
  out['open request start'] = at(openReq?.start);
  out['open answer'] = at(openReq?.end);
  out['frame navigation start'] = at(frame.origin);
  out['frame HTML response start'] = at(frame.nav?.responseStart);
  out['frame HTML response end'] = at(frame.nav?.responseEnd);
  out['frame document created'] = at(frame.bd.start);
  for (const r of frame.resources) out[`frame got ${r.name}${r.size === 0 ? ' (cache)' : ''}`] = at(r.end);
  out['frame domInteractive'] = at(frame.nav?.domInteractive);
  out['host got ready'] = at(host.bd.msgs.filter((m) => m.type === 'ready' && m.t >= since).at(0)?.t);
  out['frame got open'] = at(frame.bd.msgs.find((m) => m.type === 'open')?.t);
  const view = frame.resources.find((r) => r.name.endsWith('/forms/view'));
  out['view request start'] = at(view?.start);
  out['secure-form-frame defined'] = at(frame.bd.defined);
  out['first field focusable'] = at(field);
  out['frame long tasks (ms)'] = frame.bd.long.reduce((a, l) => a + l.ms, 0);
  out['host long tasks after click (ms)'] = host.bd.long.filter((l) => l.t >= since).reduce((a, l) => a + l.ms, 0);
  return out;
}

const { values: args } = parseArgs({ options: { runs: { type: 'string' }, slow: { type: 'boolean' } } });
const runs = Number(args.runs ?? 10);
const [brandPort, pciPort] = (process.env.BENCH_PORTS ?? '19080,19443').split(',').map(Number) as [number, number];

const demo = await startDemo({ port: brandPort, pciPort, label: 'breakdown', sitesFile: benchSitesFile() });
const all: Record<'cold' | 'warm', Record<string, number>[]> = { cold: [], warm: [] };
try {
  const agent = await agentSetup(demo);
  const ctx = { ...demo, ...agent };
  const browser = await launch({ sameProcessFrames: Boolean(args.slow) });
  try {
    for (let run = -1; run < runs; run++) {
      const { context, nextField } = await probedContext(browser);
      await context.addInitScript(breakdownProbe);
      try {
        const page = await context.newPage();
        if (args.slow) await emulateNetwork(context, page, SLOW_NETWORK);
        const open = page.getByRole('button', { name: 'Open secure form' });
        const conversationId = await demoInvite(page, ctx, `Breakdown ${run}`);
        const result: Partial<Record<'cold' | 'warm', Record<string, number>>> = {};
        for (const kind of ['cold', 'warm'] as const) {
          if (kind === 'warm') await ctx.api.invite(ctx.session, conversationId, ctx.keys.publicJwk);
          const since = await page.evaluate(() => performance.timeOrigin + performance.now());
          const ms = await clickToField(page, open, nextField);
          const click = (await page.evaluate(() => window.__benchLastClick))!;
          const host = await collect(page);
          const frames = await Promise.all(
            page
              .frames()
              .filter((f) => f !== page.mainFrame())
              .map(collect),
          );
          const frame = frames.sort((a, b) => b.bd.start - a.bd.start)[0]!;
          result[kind] = steps(click, click + ms, host, frame, since);
        }
        if (run >= 0) {
          all.cold.push(result.cold!);
          all.warm.push(result.warm!);
          process.stdout.write(
            `run ${run + 1}/${runs}: ${result.cold!['first field focusable']!.toFixed(0)} / ${result.warm!['first field focusable']!.toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(2)})\n`,
          );
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
} finally {
  await demo.stop();
  rmSync(demo.dataDir, { recursive: true, force: true });
}

for (const kind of ['cold', 'warm'] as const) {
  process.stdout.write(`\n${kind}${args.slow ? ' (slow network)' : ''}: median of ${runs} runs, ms after the click\n`);
  const keys = [...new Set(all[kind].flatMap((r) => Object.keys(r)))];
  const rows = keys
    .map((k) => [k, median(all[kind].map((r) => r[k]).filter((v): v is number => Number.isFinite(v)))] as const)
    .sort((a, b) => (a[0].includes('(ms)') ? 1 : 0) - (b[0].includes('(ms)') ? 1 : 0) || (a[1] ?? 0) - (b[1] ?? 0));
  for (const [k, v] of rows) process.stdout.write(`  ${(v ?? NaN).toFixed(1).padStart(7)}  ${k}\n`);
}
