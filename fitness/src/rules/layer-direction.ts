import picomatch from 'picomatch';
import { describeImport, edgeViolation, edgesFor } from './helpers.js';
import type { Rule, Violation } from './types.js';

/**
 * Inside a module, a layer imports only the layers the map allows. A layer allowed nothing
 * (the domain) imports only itself and the shared kernel. A layer with a package allow-list
 * imports no other package (Node builtins count as packages, written `node:<name>`).
 * Files outside every module and the shared kernel are off limits to layered code.
 */
export const layerDirection: Rule = {
  id: 'layer-direction',
  severity: 'error',
  why: 'Dependencies point inwards so the domain stays free of I/O and frameworks and each layer can be tested and replaced alone.',
  fix: 'Invert the dependency: declare an interface (port) in the inner layer and implement it in the outer one, or move the code to the layer that may import it.',
  check(ctx) {
    const out: Violation[] = [];
    const { layers } = ctx.config;
    if (layers.names.length === 0) return out;
    const packageMatchers = new Map(
      Object.entries(layers.packages).map(([layer, globs]) => [layer, picomatch(globs)] as const),
    );
    for (const edge of edgesFor(ctx, layerDirection.id)) {
      const source = ctx.graph.files.get(edge.from);
      if (!source?.module || !source.layer) continue;
      const layer = source.layer;
      const allowed = layers.allowed[layer] ?? [];
      const where = `layer ${layer} of module ${source.module}`;
      if (edge.external) {
        const matcher = packageMatchers.get(layer);
        if (matcher && !matcher(edge.external)) {
          out.push(
            edgeViolation(layerDirection, edge, `${describeImport(edge)}: ${where} may import only the packages ${JSON.stringify(layers.packages[layer])}, not ${edge.external}`, `${source.module}/${layer}`, edge.external),
          );
        }
        continue;
      }
      if (!edge.to) continue;
      const target = ctx.graph.files.get(edge.to);
      if (!target || target.shared) continue;
      if (target.module === source.module) {
        if (!target.layer || target.layer === layer || allowed.includes(target.layer)) continue;
        out.push(
          edgeViolation(
            layerDirection,
            edge,
            `${describeImport(edge)}: ${where} imports layer ${target.layer} (${edge.to}); ${layer} may import ${allowed.length ? allowed.join(', ') : 'no other layer'}`,
            `${source.module}/${layer}`,
            `${source.module}/${target.layer}`,
          ),
        );
      } else if (target.module && allowed.length === 0) {
        out.push(
          edgeViolation(layerDirection, edge, `${describeImport(edge)}: ${where} imports module ${target.module}; ${layer} may import only the shared kernel`, `${source.module}/${layer}`, target.module),
        );
      } else if (!target.module && !target.context && edge.package) {
        // A workspace library outside every module is a package to the layer's allow-list.
        const matcher = packageMatchers.get(layer);
        if (matcher && !matcher(edge.package)) {
          out.push(
            edgeViolation(layerDirection, edge, `${describeImport(edge)}: ${where} may import only the packages ${JSON.stringify(layers.packages[layer])}, not workspace package ${edge.package}`, `${source.module}/${layer}`, edge.package),
          );
        }
      } else if (!target.module && !target.context) {
        out.push(
          edgeViolation(layerDirection, edge, `${describeImport(edge)}: ${where} imports ${edge.to}, which is outside every module and the shared kernel`, `${source.module}/${layer}`, edge.to),
        );
      }
    }
    return out;
  },
};
