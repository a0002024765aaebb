import { stronglyConnected } from '../graph/cycles.js';
import type { ModuleGraph } from '../graph/module-graph.js';

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const NODE_W = 150;
const NODE_H = 40;
const COL_GAP = 90;
const ROW_GAP = 30;

/**
 * A self-contained SVG without graphviz: a layered layout where each node's column is the
 * length of the longest path of dependencies below it (cycles collapsed first), so
 * dependencies point right-to-left into the leaves on the left. Edges are straight lines;
 * violating edges are red and dashed when type-only.
 */
export function toSvg(g: ModuleGraph): string {
  const out = new Map<string, string[]>();
  for (const e of g.edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const comps = stronglyConnected(g.nodes.map((n) => n.id), (n) => out.get(n) ?? []);
  const compOf = new Map<string, number>();
  comps.forEach((c, i) => c.forEach((n) => compOf.set(n, i)));
  // Tarjan emits components in reverse topological order: dependencies first.
  const depth = new Array<number>(comps.length).fill(0);
  comps.forEach((c, i) => {
    for (const n of c) for (const t of out.get(n) ?? []) {
      const j = compOf.get(t)!;
      if (j !== i) depth[i] = Math.max(depth[i]!, depth[j]! + 1);
    }
  });
  const columns = new Map<number, string[]>();
  for (const n of g.nodes) {
    const d = depth[compOf.get(n.id)!]!;
    columns.set(d, [...(columns.get(d) ?? []), n.id]);
  }
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 0;
  for (const [col, ids] of columns) {
    maxRows = Math.max(maxRows, ids.length);
    ids.sort().forEach((id, row) => pos.set(id, { x: 20 + col * (NODE_W + COL_GAP), y: 20 + row * (NODE_H + ROW_GAP) }));
  }
  const width = 40 + Math.max(1, columns.size) * (NODE_W + COL_GAP) - COL_GAP;
  const height = 40 + Math.max(1, maxRows) * (NODE_H + ROW_GAP) - ROW_GAP + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker>',
    '<marker id="r" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#d00"/></marker></defs>',
  ];
  for (const e of g.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const bad = e.violations.length > 0;
    const [x1, y1, x2, y2] = anchor(a, b);
    const title = `${e.from} -> ${e.to}: ${e.imports} import(s)${e.typeOnly ? ', type-only' : ''}${bad ? `; violates ${e.violations.join(', ')}` : ''}`;
    parts.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${bad ? '#d00' : '#888'}" stroke-width="${bad ? 2.5 : 1.2}"${e.typeOnly ? ' stroke-dasharray="5,4"' : ''} marker-end="url(#${bad ? 'r' : 'a'})"><title>${esc(title)}</title></line>`,
    );
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id)!;
    const fill = n.kind === 'context' ? '#eef6ff' : n.kind === 'shared' ? '#f4f4f4' : '#fffbe8';
    const rx = n.kind === 'context' ? 20 : 6;
    parts.push(
      `<g><rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="${rx}" fill="${fill}" stroke="#333"/><text x="${p.x + NODE_W / 2}" y="${p.y + 17}" text-anchor="middle" font-weight="bold">${esc(n.id)}</text><text x="${p.x + NODE_W / 2}" y="${p.y + 32}" text-anchor="middle" fill="#666">${n.files} files</text></g>`,
    );
  }
  parts.push(`<text x="20" y="${height - 10}" fill="#d00">red: violating edge</text><text x="160" y="${height - 10}" fill="#666">dashed: type-only</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Line from the border of box a to the border of box b. */
function anchor(a: { x: number; y: number }, b: { x: number; y: number }): [number, number, number, number] {
  const ax = a.x + NODE_W / 2;
  const ay = a.y + NODE_H / 2;
  const bx = b.x + NODE_W / 2;
  const by = b.y + NODE_H / 2;
  const clip = (cx: number, cy: number, dx: number, dy: number): [number, number] => {
    const sx = dx === 0 ? Infinity : NODE_W / 2 / Math.abs(dx);
    const sy = dy === 0 ? Infinity : NODE_H / 2 / Math.abs(dy);
    const s = Math.min(sx, sy);
    return [Math.round(cx + dx * s), Math.round(cy + dy * s)];
  };
  const [x1, y1] = clip(ax, ay, bx - ax, by - ay);
  const [x2, y2] = clip(bx, by, ax - bx, ay - by);
  return [x1, y1, x2, y2];
}

/** One HTML page: the SVG plus a table of edges, violating ones first. */
export function toHtml(g: ModuleGraph): string {
  const rows = [...g.edges]
    .sort((a, b) => b.violations.length - a.violations.length || a.from.localeCompare(b.from))
    .map(
      (e) =>
        `<tr class="${e.violations.length ? 'bad' : ''}"><td>${esc(e.from)}</td><td>${esc(e.to)}</td><td>${e.imports}</td><td>${e.typeOnly ? 'yes' : ''}</td><td>${e.declared ? 'yes' : 'no'}</td><td>${esc(e.violations.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>archfit module graph</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.bad td{color:#d00;font-weight:bold}</style>
</head><body><h1>Module graph</h1>
${toSvg(g)}
<h2>Edges</h2>
<table><thead><tr><th>from</th><th>to</th><th>imports</th><th>type-only</th><th>declared</th><th>violations</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
