import type { ModuleGraph, ModuleGraphEdge } from '../graph/module-graph.js';

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
const label = (e: ModuleGraphEdge) =>
  `${e.imports}${e.typeOnly ? ' type-only' : ''}${e.violations.length ? ` ✖ ${e.violations.join(', ')}` : ''}`;

/** Mermaid flowchart; violating edges are red and labelled with the rules they break. */
export function toMermaid(g: ModuleGraph): string {
  const lines = ['flowchart LR'];
  for (const n of g.nodes) {
    // Quoted labels: `context:admin` would otherwise break Mermaid's parser.
    const text = `"${n.id}"`;
    const shape = n.kind === 'context' ? `([${text}])` : n.kind === 'shared' ? `[(${text})]` : `[${text}]`;
    lines.push(`  ${safeId(n.id)}${shape}`);
  }
  const red: number[] = [];
  g.edges.forEach((e, i) => {
    const arrow = e.typeOnly ? '-.->' : '-->';
    lines.push(`  ${safeId(e.from)} ${arrow}|"${label(e)}"| ${safeId(e.to)}`);
    if (e.violations.length) red.push(i);
  });
  if (red.length) lines.push(`  linkStyle ${red.join(',')} stroke:#d00,stroke-width:3px,color:#d00`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz dot; violating edges red and bold. */
export function toDot(g: ModuleGraph): string {
  const q = (s: string) => `"${s.replaceAll('"', '\\"')}"`;
  const lines = ['digraph archfit {', '  rankdir=LR;', '  node [fontname="Helvetica", shape=box, style=rounded];'];
  for (const n of g.nodes) {
    const shape = n.kind === 'context' ? 'ellipse' : n.kind === 'shared' ? 'cylinder' : 'box';
    lines.push(`  ${q(n.id)} [shape=${shape}, label=${q(`${n.id}\n${n.files} files`)}];`);
  }
  for (const e of g.edges) {
    const attrs = [`label=${q(label(e))}`];
    if (e.typeOnly) attrs.push('style=dashed');
    if (e.violations.length) attrs.push('color="#dd0000"', 'fontcolor="#dd0000"', 'penwidth=2.5');
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
