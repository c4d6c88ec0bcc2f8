// The bench's chart (bench/chart.svg): horizontal bars, one scale per section. Pure: no I/O.
import type { ChartSection, RowState } from '../results.ts';
import { round } from '../stats.ts';

const escapeXml = (text: string): string =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS: Record<RowState, string> = { met: '#1a7f37', 'not met': '#cf222e', info: '#57606a' };

/** A horizontal bar chart, one scale per section, a dashed marker at each row's limit. */
export function svgChart({ title, subtitle = '', sections }: { title: string; subtitle?: string; sections: ChartSection[] }): string {
  const width = 820;
  const labelWidth = 230;
  const barMax = width - labelWidth - 110;
  const rowHeight = 22;
  const sectionGap = 18;
  const parts: string[] = [];
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
      const limit = row.limit !== undefined && Number.isFinite(row.limit) ? row.limit : null;
      const marker = limit === null ? null : round(labelWidth + (limit / scale) * barMax, 1);
      // The figure goes after the bar, or after the marker when the marker is just past the bar.
      const textX = marker !== null && marker >= labelWidth + w && marker - (labelWidth + w) < 40 ? marker + 6 : labelWidth + w + 6;
      parts.push(
        `<text x="${round(textX, 1)}" y="${y + 15}" class="value">${value === null ? 'not measured' : escapeXml(value.toFixed(section.digits ?? 1))}</text>`,
      );
      if (marker !== null && limit !== null) {
        parts.push(
          `<line x1="${marker}" x2="${marker}" y1="${y + 1}" y2="${y + rowHeight - 1}" class="limit"><title>${escapeXml(`goal or budget: ${limit.toFixed(section.digits ?? 1)}`)}</title></line>`,
        );
      }
      y += rowHeight;
    }
    y += sectionGap;
  }
  const height = y + 24;
  const legend = (
    [
      ['met', 'goal met / within budget'],
      ['not met', 'not met / over budget'],
      ['info', 'for comparison'],
    ] as const
  )
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
