import type { ImportGraph, ResolutionCounts } from './types.js';

/**
 * `archfit graph --level file --format json`: every scanned file with where it sits and the
 * tsconfig and module format it was resolved with, and every import edge with how it
 * resolved (kind, resolution mode, build output mapped to source, or what it was meant to be
 * when it did not resolve). What archfit saw, so a miss can be seen.
 */
export function fileGraphDocument(graph: ImportGraph, counts: ResolutionCounts) {
  return {
    imports: counts,
    files: [...graph.files.values()].map((f) => ({
      path: f.path,
      ...(f.module ? { module: f.module } : {}),
      ...(f.layer ? { layer: f.layer } : {}),
      ...(f.context ? { context: f.context } : {}),
      ...(f.shared ? { shared: true } : {}),
      ...(f.publicEntry ? { publicEntry: true } : {}),
      ...graph.resolution.get(f.path),
    })),
    edges: graph.edges.map((e) => ({
      from: e.from,
      specifier: e.specifier,
      line: e.line,
      column: e.column,
      kind: e.kind,
      typeOnly: e.typeOnly,
      resolution: e.resolution,
      ...(e.to ? { to: e.to } : {}),
      ...(e.external ? { external: e.external } : {}),
      ...(e.unresolvedAs ? { unresolvedAs: e.unresolvedAs } : {}),
      ...(e.package ? { package: e.package } : {}),
      ...(e.via ? { via: e.via } : {}),
      ...(e.mode ? { mode: e.mode } : {}),
      ...(e.ambient ? { ambient: e.ambient } : {}),
      ...(e.missingTypes ? { missingTypes: e.missingTypes } : {}),
      ...(e.to && !graph.files.has(e.to) ? { scanned: false } : {}),
    })),
    tsconfigProblems: graph.tsconfigProblems,
    skipped: graph.skipped,
  };
}
