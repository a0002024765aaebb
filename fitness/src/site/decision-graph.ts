import type { DecisionsPage } from './decisions-page.js';
import { esc } from './html.js';

const NODE_W = 190;
const NODE_H = 38;
const GAP_Y = 14;

/**
 * The links between records as an SVG: records in number order down the page, each link an
 * arc on the right from the newer record to the one it supersedes, revisits, amends or
 * clarifies. Arcs are labelled by kind (text and dash pattern, not colour alone). Records
 * link to their pages, so the SVG is a named group, not an image (an image may not hold links).
 */
export function decisionGraph(page: DecisionsPage, hrefPrefix = ''): string | undefined {
  const nodes = page.records.filter((r) => r.number !== undefined);
  if (nodes.length === 0) return undefined;
  const row = new Map(nodes.map((n, i) => [n.number!, i]));
  const yOf = (n: number) => 16 + row.get(n)! * (NODE_H + GAP_Y);
  const maxSpan = Math.max(1, ...page.edges.map((e) => Math.abs(row.get(e.from)! - row.get(e.to)!)));
  const width = 16 + NODE_W + 40 + Math.min(240, maxSpan * 26) + 120;
  const height = 32 + nodes.length * (NODE_H + GAP_Y);
  const dash: Record<string, string> = { supersedes: '', revisits: '6,4', amends: '2,3', clarifies: '8,3,2,3' };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="adr-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-labelledby="adr-graph-t" aria-describedby="adr-graph-d">`,
    `<title id="adr-graph-t">Links between decision records</title>`,
    `<desc id="adr-graph-d">${esc(page.edges.length ? page.edges.map((e) => `${e.from} ${e.kind} ${e.to}`).join('; ') : 'No record links to another yet.')}</desc>`,
    '<defs><marker id="adr-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>',
  ];
  for (const n of nodes) {
    const y = yOf(n.number!);
    parts.push(
      `<a href="${esc(hrefPrefix + n.href)}"><rect x="16" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="5" class="node s-${esc(n.status.replace(/[^a-z]/g, ''))}"/><text x="24" y="${y + 16}" class="node-title">${esc(`${n.label}`)}</text><text x="24" y="${y + 30}" class="node-sub">${esc(n.title.length > 28 ? `${n.title.slice(0, 27)}…` : n.title)}</text></a>`,
    );
  }
  page.edges.forEach((e, i) => {
    const y1 = yOf(e.from) + NODE_H / 2;
    const y2 = yOf(e.to) + NODE_H / 2;
    const span = Math.abs(row.get(e.from)! - row.get(e.to)!);
    const bulge = 16 + NODE_W + 20 + Math.min(240, span * 26) + (i % 3) * 6;
    const x0 = 16 + NODE_W;
    parts.push(
      `<path d="M${x0},${y1} C${bulge},${y1} ${bulge},${y2} ${x0 + 2},${y2}" class="link"${dash[e.kind] !== undefined && dash[e.kind] !== '' ? ` stroke-dasharray="${dash[e.kind]}"` : e.kind in dash ? '' : ' stroke-dasharray="1,2"'} marker-end="url(#adr-arrow)"><title>${esc(`${e.from} ${e.kind} ${e.to}`)}</title></path>`,
      `<text x="${bulge - 4}" y="${(y1 + y2) / 2 + 4}" class="link-label">${esc(e.kind)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
