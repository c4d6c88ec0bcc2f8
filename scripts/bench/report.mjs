// From results.json's object to the goal rows, the markdown table and the SVG chart. Pure: no I/O,
// so the unit tests (report.test.ts) cover it.
import { goal, kB, ratio, round } from './stats.ts';
import { clusterChartSections, clusterSection } from './cluster-report.mjs';
import { cell, fmt, mb, ms, table, times } from './markdown.mjs';

const MB = 2 ** 20;

/** Every performance goal (sizes, memory, open times, CPU, latency), with its verdict. Only the size budgets fail the command. */
export function goalsOf(r) {
  const goals = [];
  for (const b of r.sizes?.bundles ?? []) {
    goals.push(goal(`size-${b.id}`, `${b.name}: min+gzip with the heaviest locale`, b.gzip, '<=', b.budget, 'bytes', { fails: true }));
  }
  const o = r.openToInteractive;
  if (o) {
    goals.push(goal('open-cold', 'Open to interactive, first open (cold): median ÷ floor median', o.ratio.cold, '<=', 2, '×'));
    goals.push(goal('open-warm', 'Open to interactive, second open (warm): median ÷ floor median', o.ratio.warm, '<=', 2, '×'));
  }
  const slow = r.openToInteractiveSlow;
  if (slow) {
    const net = `${slow.network.latencyMs} ms RTT, ${slow.network.downloadKbps / 1000} Mbit/s`;
    goals.push(
      goal('open-cold-slow', `Open to interactive on a slow network (${net}), cold: median ÷ floor median`, slow.ratio.cold, '<=', 2, '×'),
    );
    goals.push(
      goal('open-warm-slow', `Open to interactive on a slow network (${net}), warm: median ÷ floor median`, slow.ratio.warm, '<=', 2, '×'),
    );
  }
  const rows = r.backend?.rows ?? [];
  if (rows.length > 0) {
    const best = Math.max(...rows.map((row) => row.demo.roundTripsPerSecond ?? 0));
    goals.push(goal('throughput', `Round trips per second, best concurrency (${r.machine?.cpus ?? '?'} cores)`, best, '>=', 650, '/s'));
    const cpu = rows.map((row) => row.demo.cpuMsPerRoundTrip).filter((v) => typeof v === 'number');
    if (cpu.length > 0) goals.push(goal('cpu', 'Server CPU per full round trip, best concurrency', Math.min(...cpu), '<=', 1.5, 'ms'));
    const at64 = rows.find((row) => row.connections === 64);
    if (at64) goals.push(goal('p99-64', 'Per-request p99 latency at concurrency 64', at64.demo.latencyMs.p99, '<', 50, 'ms'));
    if (at64?.demo.loopDelayMs)
      goals.push(goal('loop-delay-64', 'Event-loop delay p99 during the load, concurrency 64', at64.demo.loopDelayMs.p99, '<', 20, 'ms'));
    for (const row of rows.filter((row) => row.essentialRatio !== undefined)) {
      goals.push(
        goal(
          `essential-${row.connections}`,
          `Time per round trip ÷ essential-work floor, concurrency ${row.connections}`,
          row.essentialRatio,
          '<=',
          2,
          '×',
        ),
      );
    }
    for (const row of rows) {
      goals.push(
        goal(
          `overhead-${row.connections}`,
          `Time per request ÷ bare Hono route, concurrency ${row.connections}`,
          row.overheadRatio,
          '<=',
          2,
          '×',
        ),
      );
    }
  }
  const m = r.memory;
  if (m) {
    goals.push(
      goal(
        'memory',
        `Server RSS holding ${m.openInvitations.toLocaleString('en')} open invitations and ${m.offTheRecordValues.toLocaleString('en')} off-the-record values`,
        m.rssBytes.withBoth / MB,
        '<',
        150,
        'MB',
      ),
    );
  }
  return goals;
}

function goalValue(g) {
  if (g.unit === 'bytes') return `${kB(g.value)} (budget ${kB(g.limit)})`;
  if (g.unit === '×') return `${times(g.value)} (goal ${g.op} ${g.limit}×)`;
  if (g.unit === 'ms') return `${ms(g.value)} (goal ${g.op} ${g.limit} ms)`;
  if (g.unit === 'MB') return `${fmt(g.value, 1)} MB (goal ${g.op} ${g.limit} MB)`;
  return `${fmt(g.value, 1)} ${g.unit} (goal ${g.op} ${fmt(g.limit)} ${g.unit})`;
}

/** `2026-11-29 08:39 UTC` from an ISO time. */
const when = (iso) =>
  iso && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : (iso ?? 'an unknown date');

/** The markdown report (bench/results.md). */
export function markdownReport(r) {
  const goals = r.goals ?? goalsOf(r);
  const m = r.machine ?? {};
  const out = [];
  out.push('# Secure Forms — benchmark results');
  out.push('');
  out.push(
    `Measured by \`npm run bench\` on ${when(r.generatedAt)}: ${m.cpus ?? '?'} cores (${m.cpuModel ?? 'unknown CPU'}), ` +
      `${m.totalMemoryMB ? `${fmt(m.totalMemoryMB / 1024, 0)} GB memory, ` : ''}Node ${m.node ?? '?'}, ${m.chromium ? `Chromium ${m.chromium}, ` : ''}${m.platform ?? ''}. ` +
      `Load average (1 min) at the start ${fmt(m.loadAverage?.start, 2)}, at the end ${fmt(m.loadAverage?.end, 2)}: the machine is shared, so the ` +
      'figures are compared with floors measured in the same run. Raw figures: [results.json](results.json); chart: [chart.svg](chart.svg).',
  );
  out.push('');
  out.push('![Benchmark chart](chart.svg)');
  out.push('');
  out.push('## Goals');
  out.push('');
  out.push('Only the size budgets fail `npm run bench`; the other goals are reported.');
  out.push('');
  out.push(
    table(
      ['goal', 'measured', 'verdict'],
      goals.map((g) => [
        cell(g.label),
        goalValue(g),
        g.verdict === 'met' ? 'met' : g.fails ? `**${g.verdict.toUpperCase()}** (fails the command)` : `**${g.verdict}**`,
      ]),
      [0, 2],
    ),
  );

  if (r.sizes) {
    out.push('');
    out.push('## 1. Bundle sizes');
    out.push('');
    out.push(
      'What one visitor or agent downloads: every script that always loads plus the heaviest lazily loaded locale chunk (only one is ever used); ' +
        'min, min+gzip and min+brotli include that chunk, "English only" leaves it out. Each file compressed on its own (gzip -9, brotli -q 11). ' +
        'The budgets are on min+gzip with the heaviest locale. The floor is a bare Lit element with one input, built the same way.',
    );
    out.push('');
    const rows = [...r.sizes.bundles, ...(r.sizes.floor ? [{ ...r.sizes.floor, budget: null }] : [])].map((b) => [
      cell(b.name),
      kB(b.min),
      `**${kB(b.gzip)}**`,
      kB(b.brotli),
      kB(b.englishOnly.gzip),
      kB(b.englishOnly.brotli),
      b.budget ? `${kB(b.budget)} ${b.gzip <= b.budget ? 'ok' : '**over**'}` : '–',
      r.sizes.floor ? times(ratio(b.gzip, r.sizes.floor.gzip)) : '–',
    ]);
    out.push(
      table(
        ['bundle', 'min', 'min+gzip', 'min+brotli', 'English only, gzip', 'English only, brotli', 'budget (gzip)', '÷ floor (gzip)'],
        rows,
      ),
    );
  }

  const o = r.openToInteractive;
  if (o) {
    out.push('');
    out.push('## 2. Open to interactive');
    out.push('');
    out.push(
      `From the click on "Open secure form" to the first field of the form being focusable (present, enabled, rendered), in headless Chromium over loopback, ${o.runs} runs each. ` +
        "Cold: the first open in a fresh browser context (nothing cached); warm: a second open on the same page (a second form sent in the same chat; the floor's button pressed again). " +
        'The demo: the chat page opens the invitation (POST open), the frame ' +
        'loads from the PCI origin, takes the view key by postMessage and redeems it (POST forms/view), then renders. The floor: a static form of the same fields ' +
        'in an iframe from the same server, on the other loopback host name (cross-site like the real frame).',
    );
    out.push('');
    const row = (label, s) => [label, ms(s.median), ms(s.p95), ms(s.min), ms(s.max)];
    out.push(
      table(
        ['', 'median', 'p95', 'min', 'max'],
        [
          row('demo, cold', o.demo.cold),
          row('floor, cold', o.floor.cold),
          row('demo, warm', o.demo.warm),
          row('floor, warm', o.floor.warm),
        ],
      ),
    );
    out.push('');
    out.push(`Ratio of medians, demo ÷ floor: cold ${times(o.ratio.cold)}, warm ${times(o.ratio.warm)} (goal: at most 2×).`);
  }

  const slow = r.openToInteractiveSlow;
  if (slow) {
    const n = slow.network;
    out.push('');
    out.push('### Open to interactive on a slow network');
    out.push('');
    out.push(
      `The same measurement under Chromium's network emulation, ${n.latencyMs} ms round trip, ${n.downloadKbps / 1000} Mbit/s down and ${n.uploadKbps} kbit/s up ` +
        `(Lighthouse's "Slow 4G"), for the demo and the floor alike, ${slow.runs} runs each. Cross-site frames run in the page's renderer here, so that ` +
        "the page's emulation covers the frame's requests too.",
    );
    out.push('');
    const row = (label, x) => [label, ms(x.median), ms(x.p95), ms(x.min), ms(x.max)];
    out.push(
      table(
        ['', 'median', 'p95', 'min', 'max'],
        [
          row('demo, cold', slow.demo.cold),
          row('floor, cold', slow.floor.cold),
          row('demo, warm', slow.demo.warm),
          row('floor, warm', slow.floor.warm),
        ],
      ),
    );
    out.push('');
    out.push(`Ratio of medians, demo ÷ floor: cold ${times(slow.ratio.cold)}, warm ${times(slow.ratio.warm)}.`);
  }

  const s = r.submitToRevealed;
  if (s) {
    out.push('');
    out.push('## 3. Submit to revealed');
    out.push('');
    out.push(
      `From the visitor's click on "Send securely" in the frame to the agent's panel showing "Reveal Card number" for that submission, ${s.runs} runs: ` +
        "the frame seals and submits, the backend stores and tells the agent's event stream, the panel retrieves, decrypts and renders.",
    );
    out.push('');
    out.push(
      table(
        ['', 'median', 'p95', 'min', 'max'],
        [['submit to revealable', ms(s.summary.median), ms(s.summary.p95), ms(s.summary.min), ms(s.summary.max)]],
      ),
    );
  }

  const b = r.backend;
  if (b) {
    out.push('');
    out.push('## 4. Backend round trips');
    out.push('');
    out.push(
      `autocannon ${b.autocannon ?? ''} against the running demo, ${b.durationSeconds} s per concurrency. One round trip = ${b.stepsPerRoundTrip} requests: create the invitation, ` +
        "open, view, submit, retrieve (the retrieve OTK from the agent's event stream), taking turns over as many conversations as connections. The bare route: the same generator, the " +
        'same five requests (methods, headers, body sizes) against a bare `@hono/node-server` route that parses the body and answers a small JSON, in the same run. ' +
        'Latency is per request (autocannon); the round-trip latency is the time of its own five requests. ' +
        'Time per request ÷ bare = bare requests/s ÷ demo requests/s at the same concurrency. ' +
        "The essential-work floor: the same five requests against routes that do only a round trip's irreducible durable work in the same SQLite " +
        'configuration (store the invitation, issue three one-time keys and spend each atomically, store the submission in the transaction that spends ' +
        "the submit key; scripts/bench/essential-routes.mjs); ÷ essential = its round trips/s ÷ the demo's. Server CPU: the demo process's user + " +
        'system time during the run (/proc) ÷ its round trips. Event-loop delay: perf_hooks.monitorEventLoopDelay in the demo process during the run.',
    );
    out.push('');
    out.push(
      table(
        [
          'concurrency',
          'round trips/s',
          'requests/s',
          'p50',
          'p99',
          'round trip p50',
          'round trip p99',
          'bare requests/s',
          'bare p50',
          'bare p99',
          '÷ bare',
          'essential round trips/s',
          '÷ essential',
          'server CPU per round trip',
          'loop delay p99',
          'errors',
        ],
        b.rows.map((row) => [
          String(row.connections),
          `**${fmt(row.demo.roundTripsPerSecond, 1)}**`,
          fmt(row.demo.requestsPerSecond, 0),
          ms(row.demo.latencyMs.p50),
          ms(row.demo.latencyMs.p99),
          ms(row.demo.roundTripMs.median),
          ms(row.demo.roundTripMs.p99),
          fmt(row.bare.requestsPerSecond, 0),
          ms(row.bare.latencyMs.p50),
          ms(row.bare.latencyMs.p99),
          times(row.overheadRatio),
          fmt(row.essential?.roundTripsPerSecond, 1),
          times(row.essentialRatio),
          row.demo.cpuMsPerRoundTrip === undefined || row.demo.cpuMsPerRoundTrip === null
            ? '–'
            : `${fmt(row.demo.cpuMsPerRoundTrip, 2)} ms`,
          row.demo.loopDelayMs ? `${fmt(row.demo.loopDelayMs.p99, 1)} ms` : '–',
          String((row.demo.non2xx ?? 0) + (row.demo.errors ?? 0) + (row.demo.timeouts ?? 0)),
        ]),
      ),
    );
  }

  const d = r.decrypt;
  if (d) {
    out.push('');
    out.push('## 5. Decrypt time per form in Chromium');
    out.push('');
    out.push(
      `The envelope code of packages/shared (jose on WebCrypto) opening both parts of one card-form submission (on the record: card number and postcode, ` +
        `sealed to the panel's key and the history key; off the record: the CVV), ${d.summary.n} times after ${d.warmup} untimed.`,
    );
    out.push('');
    out.push(
      table(
        ['', 'median', 'p95', 'min', 'max'],
        [['decrypt one form', ms(d.summary.median), ms(d.summary.p95), ms(d.summary.min), ms(d.summary.max)]],
      ),
    );
  }

  const mem = r.memory;
  if (mem) {
    out.push('');
    out.push('## 6. Server memory');
    out.push('');
    out.push(
      `Resident set of a fresh demo process (one node process: the compiled server through demo/server/start.sh with its memory settings, as \`npm start\` runs it), 2 s after each step, and again after a full garbage collection. ` +
        `Open invitations: sent, not yet answered (filled in ${fmt(mem.fillSeconds?.openInvitations, 0)} s); off-the-record values: forms opened, viewed and submitted, not retrieved ` +
        `(filled in ${fmt(mem.fillSeconds?.offTheRecord, 0)} s), the site's off-the-record store sized for them in this run's sites file (the demo site keeps 1,000).`,
    );
    out.push('');
    const rr = mem.rssBytes;
    const heap = mem.heapAfterGc ?? {};
    const used = (u) => (u ? mb(u.heapUsed) : '–');
    out.push(
      table(
        ['', 'RSS', 'RSS after a full GC', 'JS heap used after the GC'],
        [
          ['started, agent signed in', mb(rr.baseline), mb(rr.baselineAfterGc), used(heap.baseline)],
          [
            `+ ${fmt(mem.openInvitations)} open invitations`,
            mb(rr.withOpenInvitations),
            mb(rr.withOpenInvitationsAfterGc),
            used(heap.withOpenInvitations),
          ],
          [`+ ${fmt(mem.offTheRecordValues)} off-the-record values`, `**${mb(rr.withBoth)}**`, mb(rr.withBothAfterGc), used(heap.withBoth)],
          ['peak', mb(Math.max(rr.peak ?? 0, rr.baseline, rr.withOpenInvitations, rr.withBoth)), '', ''],
        ],
      ),
    );
    out.push('');
    const heapGrowth = heap.baseline && heap.withBoth ? heap.withBoth.heapUsed - heap.baseline.heapUsed : null;
    out.push(
      `Growth over the baseline: ${mb(rr.withBoth - rr.baseline)} of RSS` +
        (heapGrowth === null ? '.' : `, of which ${mb(heapGrowth)} is JavaScript heap still in use after a full GC.`),
    );
    const parts = [heap.baseline, heap.withOpenInvitations, heap.withBoth].map((u) => u?.breakdown);
    if (parts.some(Boolean)) {
      out.push('');
      out.push(
        'What holds the resident set after each full GC (from the process itself: V8 heap statistics, `process.memoryUsage()`, `/proc/self/status`). ' +
          "The SQLite page cache is an upper bound (its limit, or the database and WAL when smaller), so malloc's share is a lower bound.",
      );
      out.push('');
      const row = (label, pick) => [label, ...parts.map((b) => (b ? mb(pick(b)) : '–'))];
      out.push(
        table(
          ['', 'started', '+ open invitations', '+ off-the-record values'],
          [
            row('V8 heap (resident pages)', (b) => b.v8Heap),
            row('external (buffers held by JavaScript)', (b) => b.external),
            row('SQLite page cache (at most)', (b) => b.sqliteCacheAtMost),
            row('malloc arenas and other native memory', (b) => b.mallocAndOther),
            row("node's code and shared libraries (file pages)", (b) => b.codeAndLibraries),
            row('RSS after the GC', (b) => b.rss),
          ],
        ),
      );
      const last = parts.findLast(Boolean);
      out.push('');
      out.push(`SQLite page cache limit ${mb(last.sqliteCacheLimit)}; database and WAL ${mb(last.databaseBytes)} at the end.`);
    }
  }
  out.push(...clusterSection(r));
  if (r.notes?.length) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const note of r.notes) out.push(`- ${note}`);
  }
  out.push('');
  return out.join('\n');
}

/** The sections of the chart: one bar per figure, a marker at its goal or budget. */
export function chartSections(r) {
  const sections = [];
  const goals = r.goals ?? goalsOf(r);
  const state = (id) => {
    const g = goals.find((x) => x.id === id);
    return !g ? 'info' : g.verdict === 'met' ? 'met' : 'not met';
  };
  if (r.sizes) {
    sections.push({
      title: 'Bundle size, min+gzip with the heaviest locale (kB)',
      digits: 1,
      rows: [
        ...r.sizes.bundles.map((b) => ({
          label: b.id === 'loader' ? 'host-page script' : b.id === 'frame' ? 'form frame' : 'panel',
          value: b.gzip / 1024,
          limit: b.budget / 1024,
          state: state(`size-${b.id}`),
        })),
        ...(r.sizes.floor ? [{ label: 'floor (Lit + 1 input)', value: r.sizes.floor.gzip / 1024, state: 'info' }] : []),
      ],
    });
  }
  const o = r.openToInteractive;
  if (o) {
    sections.push({
      title: 'Open to interactive, median (ms); marker: 2× the floor',
      digits: 0,
      rows: [
        { label: 'demo, cold', value: o.demo.cold.median, limit: o.floor.cold.median * 2, state: state('open-cold') },
        { label: 'floor, cold', value: o.floor.cold.median, state: 'info' },
        { label: 'demo, warm', value: o.demo.warm.median, limit: o.floor.warm.median * 2, state: state('open-warm') },
        { label: 'floor, warm', value: o.floor.warm.median, state: 'info' },
      ],
    });
  }
  if (r.submitToRevealed) {
    sections.push({
      title: 'Submit to revealed (ms)',
      digits: 0,
      rows: [
        { label: 'median', value: r.submitToRevealed.summary.median, state: 'info' },
        { label: 'p95', value: r.submitToRevealed.summary.p95, state: 'info' },
      ],
    });
  }
  if (r.decrypt) {
    sections.push({
      title: 'Decrypt one form in Chromium (ms)',
      digits: 2,
      rows: [
        { label: 'median', value: r.decrypt.summary.median, state: 'info' },
        { label: 'p95', value: r.decrypt.summary.p95, state: 'info' },
      ],
    });
  }
  const b = r.backend;
  if (b) {
    sections.push({
      title: 'Round trips per second (marker: 650); bare route: its requests/s ÷ 5',
      digits: 1,
      rows: b.rows.flatMap((row) => [
        {
          label: `demo, concurrency ${row.connections}`,
          value: row.demo.roundTripsPerSecond,
          limit: 650,
          state: row.demo.roundTripsPerSecond >= 650 ? 'met' : 'not met',
        },
        { label: `bare, concurrency ${row.connections}`, value: row.bare.requestsPerSecond / b.stepsPerRoundTrip, state: 'info' },
      ]),
    });
    sections.push({
      title: 'Per-request p99 latency (ms); marker at concurrency 64: 50 ms',
      digits: 0,
      rows: b.rows.flatMap((row) => [
        {
          label: `demo, concurrency ${row.connections}`,
          value: row.demo.latencyMs.p99,
          ...(row.connections === 64 ? { limit: 50, state: state('p99-64') } : { state: 'info' }),
        },
        { label: `bare, concurrency ${row.connections}`, value: row.bare.latencyMs.p99, state: 'info' },
      ]),
    });
  }
  if (r.memory) {
    const rr = r.memory.rssBytes;
    sections.push({
      title: 'Server memory, RSS (MB); marker: 150 MB',
      digits: 0,
      rows: [
        { label: 'started', value: rr.baseline / MB, state: 'info' },
        { label: '+ open invitations', value: rr.withOpenInvitations / MB, state: 'info' },
        { label: '+ off-the-record values', value: rr.withBoth / MB, limit: 150, state: state('memory') },
      ],
    });
  }
  sections.push(...clusterChartSections(r));
  return sections;
}

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS = { met: '#1a7f37', 'not met': '#cf222e', info: '#57606a' };

/**
 * A horizontal bar chart, one scale per section, a dashed marker at each row's limit.
 * @param {{ title: string, subtitle?: string, sections: { title: string, digits?: number, rows: { label: string, value: number | null, limit?: number, state?: 'met' | 'not met' | 'info' }[] }[] }} chart
 */
export function svgChart({ title, subtitle = '', sections }) {
  const width = 820;
  const labelWidth = 230;
  const barMax = width - labelWidth - 110;
  const rowHeight = 22;
  const sectionGap = 18;
  const parts = [];
  let y = 56;
  for (const section of sections) {
    y += 14;
    parts.push(`<text x="16" y="${y}" class="section">${escapeXml(section.title)}</text>`);
    y += 10;
    const values = section.rows.flatMap((row) => [row.value ?? 0, row.limit ?? 0]).filter((v) => Number.isFinite(v));
    const scale = Math.max(...values, 1e-9) * 1.08;
    for (const row of section.rows) {
      const value = Number.isFinite(row.value) ? row.value : null;
      const w = value === null ? 0 : Math.max(1, (value / scale) * barMax);
      const color = COLORS[row.state ?? 'info'];
      parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" class="label" text-anchor="end">${escapeXml(row.label)}</text>`);
      parts.push(
        `<rect x="${labelWidth}" y="${y + 4}" width="${round(w, 1)}" height="${rowHeight - 8}" fill="${color}" rx="2"><title>${escapeXml(`${row.label}: ${value === null ? 'not measured' : value.toFixed(section.digits ?? 1)}`)}</title></rect>`,
      );
      const marker = Number.isFinite(row.limit) ? round(labelWidth + (row.limit / scale) * barMax, 1) : null;
      // The figure goes after the bar, or after the marker when the marker is just past the bar.
      const textX = marker !== null && marker >= labelWidth + w && marker - (labelWidth + w) < 40 ? marker + 6 : labelWidth + w + 6;
      parts.push(
        `<text x="${round(textX, 1)}" y="${y + 15}" class="value">${value === null ? 'not measured' : escapeXml(value.toFixed(section.digits ?? 1))}</text>`,
      );
      if (marker !== null) {
        parts.push(
          `<line x1="${marker}" x2="${marker}" y1="${y + 1}" y2="${y + rowHeight - 1}" class="limit"><title>${escapeXml(`goal or budget: ${row.limit.toFixed(section.digits ?? 1)}`)}</title></line>`,
        );
      }
      y += rowHeight;
    }
    y += sectionGap;
  }
  const height = y + 24;
  const legend = [
    ['met', 'goal met / within budget'],
    ['not met', 'not met / over budget'],
    ['info', 'for comparison'],
  ]
    .map(
      ([state, text], i) =>
        `<rect x="${16 + i * 210}" y="${height - 22}" width="12" height="12" fill="${COLORS[state]}"/><text x="${34 + i * 210}" y="${height - 12}" class="legend">${text}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc id="chart-desc">${escapeXml(subtitle)}</desc>`,
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2328}.h{font-size:18px;font-weight:600}.sub{font-size:12px;fill:#57606a}.section{font-size:13px;font-weight:600}.label,.value,.legend{font-size:12px}.limit{stroke:#1f2328;stroke-width:2;stroke-dasharray:3 2}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" class="h">${escapeXml(title)}</text>`,
    `<text x="16" y="44" class="sub">${escapeXml(subtitle)}</text>`,
    ...parts,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

/** The chart of a results object. */
export function resultsChart(r) {
  const m = r.machine ?? {};
  return svgChart({
    title: 'Secure Forms — benchmark',
    subtitle: `${when(r.generatedAt)} · ${m.cpus ?? '?'} cores · Node ${m.node ?? '?'} · load average ${m.loadAverage?.start ?? '?'} → ${m.loadAverage?.end ?? '?'} · dashed marker: goal or budget`,
    sections: chartSections(r),
  });
}
