/**
 * Small SVG charts for the reports, written by hand so the HTML page is self-contained
 * (no script, no CDN): a line chart of latency against rate and a grouped bar chart.
 */

export interface Series {
  name: string;
  points: Array<{ x: number; y: number }>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A horizontal reference line, e.g. the SLO. */
  reference?: { y: number; label: string };
}

export interface BarChart {
  title: string;
  yLabel: string;
  groups: Array<{ name: string; bars: Array<{ name: string; value: number }> }>;
}

const W = 640;
const H = 320;
const M = { left: 64, right: 150, top: 32, bottom: 48 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(min: number, max: number, count = 5): number[] {
  if (max <= min) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Number(v.toPrecision(3))));

export function lineChartSvg(c: LineChart): string {
  const pts = c.series.flatMap((s) => s.points);
  const ys = pts.map((p) => p.y).concat(c.reference ? [c.reference.y] : []);
  const xMax = Math.max(1, ...pts.map((p) => p.x));
  const xMin = Math.min(0, ...pts.map((p) => p.x));
  const yPos = ys.filter((y) => y > 0);
  // Latencies span milliseconds to seconds: a log axis keeps both ends readable.
  const log = yPos.length > 0 && Math.max(...yPos) / Math.min(...yPos) > 50;
  const yMinRaw = log ? Math.min(...yPos) : 0;
  const yMaxRaw = Math.max(1, ...ys);
  const lo = log ? Math.floor(Math.log10(yMinRaw)) : 0;
  const hi = log ? Math.ceil(Math.log10(yMaxRaw)) : 0;
  const yTicks = log ? Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i)) : niceTicks(0, yMaxRaw * 1.05);
  const yTop = log ? 10 ** hi : Math.max(...yTicks);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - xMin) / (xMax - xMin || 1)) * pw;
  const sy = (y: number) =>
    log ? M.top + ph - ((Math.log10(Math.max(y, 10 ** lo)) - lo) / (hi - lo || 1)) * ph : M.top + ph - (y / yTop) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${esc(c.title)}</title><rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(c.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(xMin, xMax)) {
    out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${M.top + ph}" y2="${M.top + ph + 4}" stroke="#333"/><text x="${sx(t)}" y="${M.top + ph + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" stroke="#333"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}${log ? ' (log)' : ''}</text>`);
  if (c.reference) {
    const y = sy(c.reference.y);
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#999" stroke-dasharray="6 4"/><text x="${M.left + pw - 4}" y="${y - 4}" text-anchor="end" fill="#666">${esc(c.reference.label)}</text>`);
  }
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of sorted) out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.name)}: ${fmt(p.x)} -> ${p.y}</title></circle>`);
    out.push(`<rect x="${W - M.right + 12}" y="${M.top + i * 18}" width="12" height="3" fill="${color}"/><text x="${W - M.right + 30}" y="${M.top + i * 18 + 5}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export function barChartSvg(c: BarChart): string {
  const names = [...new Set(c.groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const max = Math.max(1, ...c.groups.flatMap((g) => g.bars.map((b) => b.value)));
  const ticks = niceTicks(0, max * 1.05);
  const top = Math.max(...ticks);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const gw = pw / Math.max(1, c.groups.length);
  const bw = (gw * 0.8) / Math.max(1, names.length);
  const sy = (v: number) => M.top + ph - (v / top) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${esc(c.title)}</title><rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(c.title)}</text>`);
  for (const t of ticks) out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  out.push(`<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);
  c.groups.forEach((g, gi) => {
    const x0 = M.left + gi * gw + gw * 0.1;
    g.bars.forEach((b) => {
      const bi = names.indexOf(b.name);
      const color = COLORS[bi % COLORS.length];
      out.push(`<rect x="${(x0 + bi * bw).toFixed(1)}" y="${sy(b.value).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(M.top + ph - sy(b.value)).toFixed(1)}" fill="${color}"><title>${esc(g.name)} / ${esc(b.name)}: ${b.value}</title></rect>`);
    });
    out.push(`<text x="${(x0 + gw * 0.4).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${esc(g.name)}</text>`);
  });
  out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/>`);
  names.forEach((n, i) => out.push(`<rect x="${W - M.right + 12}" y="${M.top + i * 18}" width="12" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${W - M.right + 30}" y="${M.top + i * 18 + 9}">${esc(n)}</text>`));
  out.push('</svg>');
  return out.join('');
}
