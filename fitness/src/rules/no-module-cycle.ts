import { shortestPath, stronglyConnected } from '../graph/cycles.js';
import type { ImportEdge } from '../graph/types.js';
import { edgeViolation, edgesFor } from './helpers.js';
import type { Rule, Violation } from './types.js';

/** The cycle-graph node standing for every shared-kernel folder. */
const SHARED_KERNEL = 'shared kernel';

/** How many start edges to try when looking for a file-level chain through a module cycle. */
const CHAIN_ATTEMPTS = 25;

/**
 * No cycle between modules. Cycles are found with Tarjan SCC on the module graph; each
 * strongly connected set of modules is reported once, as the shortest module cycle in it and
 * the chain of files (each importing the next) that makes it. Type-only edges are ignored by
 * default (`rules["no-module-cycle"].typeOnly`): they vanish at compile time.
 */
export const noModuleCycle: Rule = {
  id: 'no-module-cycle',
  severity: 'error',
  why: 'Modules in a cycle can only be understood, tested, released or extracted together: they are one module.',
  fix: 'Break the cycle: drop one direction, invert it with an interface owned by the depending module, or publish an event instead of calling back.',
  check(ctx) {
    const edges = edgesFor({ ...ctx, focus: undefined }, noModuleCycle.id);
    // The shared kernel is a node too: module -> kernel -> module is a cycle like any other.
    const moduleOf = (f: string | undefined) => {
      const info = f ? ctx.graph.files.get(f) : undefined;
      return info?.module ?? (info?.shared ? SHARED_KERNEL : undefined);
    };
    // Module graph: first file edge per module pair, in file order (stable output).
    const moduleEdges = new Map<string, Map<string, ImportEdge>>();
    const fileNext = new Map<string, string[]>();
    for (const e of edges) {
      const a = moduleOf(e.from);
      const b = moduleOf(e.to);
      if (!a || !b || !e.to) continue;
      if (!fileNext.has(e.from)) fileNext.set(e.from, []);
      fileNext.get(e.from)!.push(e.to);
      if (a === b) continue;
      if (!moduleEdges.has(a)) moduleEdges.set(a, new Map());
      if (!moduleEdges.get(a)!.has(b)) moduleEdges.get(a)!.set(b, e);
    }
    const nextModules = (m: string) => moduleEdges.get(m)?.keys() ?? [];
    const out: Violation[] = [];
    const components = stronglyConnected([...moduleEdges.keys()].sort(), nextModules).filter((c) => c.length > 1);
    for (const component of components) {
      const members = new Set(component);
      const start = [...component].sort()[0]!;
      // Shortest module cycle through `start`: start -> x ... -> start.
      let best: string[] | undefined;
      for (const first of [...nextModules(start)].filter((m) => members.has(m)).sort()) {
        const back = shortestPath(first, start, nextModules, (m) => members.has(m));
        if (back && (!best || back.length + 1 < best.length)) best = [start, ...back];
      }
      if (!best) continue;
      const hops = best.slice(0, -1).map((m, i) => moduleEdges.get(m)!.get(best![i + 1]!)!);
      const chain = fileChain(hops, members, moduleOf, fileNext);
      const first = chain?.edge ?? hops[0]!;
      const files = chain?.files ?? hops.flatMap((h) => [h.from, h.to!]);
      out.push(
        edgeViolation(
          noModuleCycle,
          first,
          `modules ${best.join(' -> ')} form a cycle${component.length > best.length - 1 ? ` (${component.length} modules are entangled: ${[...component].sort().join(', ')})` : ''}; files: ${files.join(' -> ')}`,
          best[0],
          best[1],
        ),
      );
    }
    return out;
  },
};

/** A real file-level cycle crossing the module cycle, when one exists. */
function fileChain(
  hops: ImportEdge[],
  members: Set<string>,
  moduleOf: (f: string | undefined) => string | undefined,
  fileNext: Map<string, string[]>,
): { edge: ImportEdge; files: string[] } | undefined {
  const next = (f: string) => fileNext.get(f) ?? [];
  const inCycle = (f: string) => members.has(moduleOf(f) ?? '');
  for (const edge of hops.slice(0, CHAIN_ATTEMPTS)) {
    const back = shortestPath(edge.to!, edge.from, next, inCycle);
    if (back) return { edge, files: [edge.from, ...back] };
  }
  return undefined;
}
