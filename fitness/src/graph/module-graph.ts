import type { ResolvedConfig } from '../config/types.js';
import { stronglyConnected } from './cycles.js';
import type { ImportGraph } from './types.js';

export interface ModuleGraphNode {
  id: string;
  kind: 'module' | 'context' | 'shared';
  files: number;
}

export interface ModuleGraphEdge {
  from: string;
  to: string;
  /** Import statements behind the edge. */
  imports: number;
  /** True when every import behind the edge is type-only. */
  typeOnly: boolean;
  /** Allowed by the map (always true for context -> module and anything -> shared). */
  declared: boolean;
  /** Rules violated by imports behind this edge, or by a cycle it belongs to. */
  violations: string[];
}

export interface ModuleGraph {
  nodes: ModuleGraphNode[];
  edges: ModuleGraphEdge[];
}

const SHARED = 'shared';

/**
 * Collapses the file graph to modules, contexts and the shared kernel, and marks each edge
 * with the rules its imports violate (edges inside a module cycle are marked no-module-cycle).
 */
/** Where a finding sits and which rule made it: all the graph needs of a rule's Violation (graph/ comes before rules/). */
export interface EdgeFinding {
  rule: string;
  file: string;
  line?: number;
  column?: number;
}

export function moduleGraph(config: ResolvedConfig, graph: ImportGraph, violations: readonly EdgeFinding[]): ModuleGraph {
  const nodeOf = (file: string | undefined): string | undefined => {
    if (!file) return undefined;
    const info = graph.files.get(file);
    if (!info) return undefined;
    if (info.module) return info.module;
    if (info.context) return `context:${info.context}`;
    return info.shared ? SHARED : undefined;
  };
  const counts = new Map<string, number>();
  for (const f of graph.files.keys()) {
    const n = nodeOf(f);
    if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const allowed = new Map(config.modules.map((m) => [m.name, new Set(m.allowedDependencies)]));
  const byKey = new Map<string, ModuleGraphEdge>();
  const violationsAt = new Map<string, Set<string>>();
  for (const v of violations) {
    const key = `${v.file}:${v.line}:${v.column}`;
    if (!violationsAt.has(key)) violationsAt.set(key, new Set());
    violationsAt.get(key)!.add(v.rule);
  }
  for (const e of graph.edges) {
    const a = nodeOf(e.from);
    const b = nodeOf(e.to);
    if (!a || !b || a === b) continue;
    const key = `${a}\u0000${b}`;
    let edge = byKey.get(key);
    if (!edge) {
      const declared = !allowed.has(a) || !allowed.has(b) || allowed.get(a)!.has(b);
      edge = { from: a, to: b, imports: 0, typeOnly: true, declared, violations: [] };
      byKey.set(key, edge);
    }
    edge.imports++;
    edge.typeOnly &&= e.typeOnly;
    for (const rule of violationsAt.get(`${e.from}:${e.line}:${e.column}`) ?? []) {
      if (!edge.violations.includes(rule)) edge.violations.push(rule);
    }
  }
  const edges = [...byKey.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  // Mark every edge inside a module cycle, not only the one the violation is reported at.
  if (violations.some((v) => v.rule === 'no-module-cycle')) {
    const out = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly && allowed.has(e.from) && allowed.has(e.to)) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    for (const comp of stronglyConnected([...out.keys()], (n) => out.get(n) ?? [])) {
      if (comp.length < 2) continue;
      const set = new Set(comp);
      for (const e of edges) {
        if (set.has(e.from) && set.has(e.to) && !e.typeOnly && !e.violations.includes('no-module-cycle')) e.violations.push('no-module-cycle');
      }
    }
  }
  const kind = (id: string): ModuleGraphNode['kind'] => (id === SHARED ? 'shared' : id.startsWith('context:') ? 'context' : 'module');
  const nodes = [...counts.entries()].map(([id, files]) => ({ id, kind: kind(id), files })).sort((x, y) => x.id.localeCompare(y.id));
  return { nodes, edges };
}
