import { esc, fmt } from './html.js';
import type { TriggerView } from './triggers-page.js';

const W = 560;
const H = 220;
const PAD = { left: 64, right: 48, top: 16, bottom: 40 };

/**
 * The history of a trigger's metric across every evidence file, as an SVG built at generation
 * time: one point per run (red when it fires), the line through them, the threshold as a dashed
 * line. Runs are spaced evenly in time order (the dates are labelled), so a burst of runs on one
 * day stays readable. The <title> and <desc> carry the same facts for screen readers.
 */
export function historyChart(t: TriggerView): string | undefined {
  const points = t.history.filter((p) => p.value !== null) as Array<(typeof t.history)[number] & { value: number }>;
  if (points.length === 0) return undefined;
  const values = [...points.map((p) => p.value), t.threshold];
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi === lo) hi = lo + 1;
  hi += (hi - lo) * 0.1;
  if (lo < 0) lo -= (hi - lo) * 0.05;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? iw / 2 : (i * iw) / (points.length - 1));
  const y = (v: number) => PAD.top + ih - ((v - lo) / (hi - lo)) * ih;
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const id = `chart-${t.id}`;
  const title = `${t.metric} across ${points.length} evidence file(s); fires when ${t.comparator} ${fmt(t.threshold)} ${t.unit}`;
  const desc = points.map((p) => `${p.at.slice(0, 16)}: ${fmt(p.value)} ${t.unit}${p.fires ? ' (fires)' : ''}`).join('; ');
  const ty = r1(y(t.threshold));
  const ticks = [lo, (lo + hi) / 2, hi].map((v) => `<text x="${PAD.left - 6}" y="${r1(y(v)) + 4}" text-anchor="end" class="axis">${esc(fmt(v, 1))}</text>`);
  const line = points.map((p, i) => `${r1(x(i))},${r1(y(p.value))}`).join(' ');
  const dots = points.map(
    (p, i) => `<circle cx="${r1(x(i))}" cy="${r1(y(p.value))}" r="4.5" class="${p.fires ? 'pt fire' : 'pt'}"><title>${esc(`${p.file}: ${fmt(p.value)} ${t.unit}${p.fires ? ', fires' : ''}`)}</title></circle>`,
  );
  // Month-day, unless two runs share a day: then the time too, or the labels would not tell them apart.
  const days = points.map((p) => p.at.slice(5, 10));
  const sameDay = new Set(days).size < days.length;
  const labels = points.map((p, i) => `<text x="${r1(x(i))}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="axis">${esc(sameDay ? p.at.slice(5, 16).replace('T', ' ') : days[i])}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d">`,
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + ih}" class="frame"/><line x1="${PAD.left}" y1="${PAD.top + ih}" x2="${PAD.left + iw}" y2="${PAD.top + ih}" class="frame"/>`,
    ...ticks,
    `<line x1="${PAD.left}" y1="${ty}" x2="${PAD.left + iw}" y2="${ty}" class="threshold"/>`,
    `<text x="${PAD.left + iw}" y="${ty - 5}" text-anchor="end" class="threshold-label">threshold ${esc(`${t.comparator} ${fmt(t.threshold)} ${t.unit}`)}</text>`,
    points.length > 1 ? `<polyline points="${line}" class="series"/>` : '',
    ...dots,
    ...labels,
    `<text x="${PAD.left + iw / 2}" y="${H - 4}" text-anchor="middle" class="axis">run finished (UTC), oldest to newest</text>`,
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}
