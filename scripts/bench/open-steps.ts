// Where the time from "Open secure form" to the first focusable field goes, step by step: the same
// cold and warm opens as the bench's open-to-interactive measurement (browser.ts), with each step's
// time read inside the pages (resource and navigation timing, the frame protocol's messages as they
// arrive, the frame element's definition), all on one clock (performance.timeOrigin +
// performance.now()) and given in ms after the click. Runs of their own, after the measured ones,
// so that the probe never touches the reported figures. Used by the bench's slow-network phase and
// by open-breakdown.ts.
import type { Browser, Frame, Page } from 'playwright';
import { emulateNetwork, probedContext } from './browser-harness.ts';
import { type DemoWithAgent, clickToField, demoInvite } from './browser.ts';
import type { ColdWarm, Network, OpenStep } from './results.ts';
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

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** The frame's request for the form: `POST /v1/invitations/:iid/view`, or `/v1/forms/view` with a view key. */
const VIEW_REQUEST = /\/v1\/(invitations\/[^/]+|forms)\/view(\?[^#]*)?$/;

/** The steps of one open, in ms after the click; a resource read from the HTTP cache says so. */
function steps(click: number, field: number, host: Seen, frame: Seen, since: number): Record<string, number> {
  const at = (t: number | undefined) => (t === undefined ? NaN : t - click);
  const out: Record<string, number> = {};
  // The host page's own open request: only a page loaded before the frame opened in one request makes one.
  const openReq = host.resources.filter((r) => r.name.endsWith('/open') && r.start >= since - 1).at(-1);
  if (openReq) {
    out['open request start'] = at(openReq.start);
    out['open answer'] = at(openReq.end);
  }
  out['frame navigation start'] = at(frame.origin);
  out['frame HTML response start'] = at(frame.nav?.responseStart);
  out['frame HTML response end'] = at(frame.nav?.responseEnd);
  out['frame document created'] = at(frame.bd.start);
  // An invitation's id differs from run to run: one step name for all runs.
  for (const r of frame.resources) out[`frame got ${r.name.replace(UUID, ':id')}${r.size === 0 ? ' (cache)' : ''}`] = at(r.end);
  out['frame domInteractive'] = at(frame.nav?.domInteractive);
  out['host got ready'] = at(host.bd.msgs.filter((m) => m.type === 'ready' && m.t >= since).at(0)?.t);
  out['frame got open'] = at(frame.bd.msgs.find((m) => m.type === 'open')?.t);
  // The frame's request for the form: the one-request open, or a view key's redemption.
  const view = frame.resources.find((r) => VIEW_REQUEST.test(r.name));
  out['view request start'] = at(view?.start);
  out['secure-form-frame defined'] = at(frame.bd.defined);
  out['first field focusable'] = at(field);
  out['frame long tasks (ms)'] = frame.bd.long.reduce((a, l) => a + l.ms, 0);
  out['host long tasks after click (ms)'] = host.bd.long.filter((l) => l.t >= since).reduce((a, l) => a + l.ms, 0);
  return out;
}

/** Each step's median over `runs` (a step some runs lack: over those that have it), in time order; durations (`(ms)`) last. */
export function medianSteps(runs: readonly Record<string, number>[]): OpenStep[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  const isDuration = (step: string) => step.includes('(ms)');
  return names
    .map((step) => ({ step, ms: median(runs.map((r) => r[step]).filter((v): v is number => Number.isFinite(v))) ?? NaN }))
    .filter((s) => Number.isFinite(s.ms))
    .map((s) => ({ step: s.step, ms: Math.round(s.ms * 10) / 10 }))
    .sort((a, b) => Number(isDuration(a.step)) - Number(isDuration(b.step)) || a.ms - b.ms);
}

/**
 * The steps of `runs` cold and warm opens of the demo, as the bench's open-to-interactive
 * measurement takes them (one untimed run first), under `network` when given (launch `browser`
 * with `sameProcessFrames` then). `log` gets each run's totals.
 */
export async function openSteps(
  browser: Browser,
  demo: DemoWithAgent,
  { runs, network, log = () => undefined }: { runs: number; network?: Network; log?: (line: string) => void },
): Promise<ColdWarm<Record<string, number>[]>> {
  const all: ColdWarm<Record<string, number>[]> = { cold: [], warm: [] };
  for (let run = -1; run < runs; run++) {
    const { context, nextField } = await probedContext(browser);
    await context.addInitScript(breakdownProbe);
    try {
      const page = await context.newPage();
      if (network) await emulateNetwork(context, page, network);
      const open = page.getByRole('button', { name: 'Open secure form' });
      const conversationId = await demoInvite(page, demo, `Steps visitor ${run + 2}`);
      const result: Partial<ColdWarm<Record<string, number>>> = {};
      for (const kind of ['cold', 'warm'] as const) {
        if (kind === 'warm') await demo.api.invite(demo.session, conversationId, demo.keys.publicJwk);
        const since = await page.evaluate(() => performance.timeOrigin + performance.now());
        const ms = await clickToField(page, open, nextField);
        const click = (await page.evaluate(() => window.__benchLastClick))!;
        const host = await collect(page);
        // The warm-up page may be removed meanwhile (it goes once the form has rendered): a frame
        // detached before it could be read is left out.
        const frames = await Promise.all(
          page
            .frames()
            .filter((f) => f !== page.mainFrame())
            .map((f) => collect(f).catch(() => null)),
        );
        // The newest probed frame is the form's (the warm-up page runs no script, so no probe).
        const frame = frames.filter((f): f is Seen => f?.bd !== undefined).sort((a, b) => b.bd.start - a.bd.start)[0];
        if (!frame) throw new Error("the form's frame could not be read");
        result[kind] = steps(click, click + ms, host, frame, since);
      }
      if (run >= 0) {
        all.cold.push(result.cold!);
        all.warm.push(result.warm!);
        log(
          `  steps run ${run + 1}/${runs}: ${result.cold!['first field focusable']!.toFixed(0)} / ${result.warm!['first field focusable']!.toFixed(0)} ms (cold / warm)`,
        );
      }
    } finally {
      await context.close();
    }
  }
  return all;
}
