import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { buildGraph } from '../../graph/build.js';
import type { ImportGraph } from '../../graph/types.js';
import { type SetExit } from '../exit-codes.js';
import { assertFormat, emit, reportUsageError } from '../../report/cli-output.js';
import { rules } from '../../rules/index.js';

/** Per module: files, the tsconfigs that govern them (with how many files each) and unresolved imports. */
function resolutionOf(graph: ImportGraph, place: (file: string) => boolean) {
  const tsconfigs = new Map<string, number>();
  let files = 0;
  let unresolved = 0;
  for (const [file] of graph.files) {
    if (!place(file)) continue;
    files++;
    const res = graph.resolution.get(file);
    const key = res?.tsconfig ? `${res.tsconfig}${res.how === 'nearest' ? ' (nearest; its include does not hold the file)' : ''}` : '(none: built-in defaults)';
    tsconfigs.set(key, (tsconfigs.get(key) ?? 0) + 1);
    for (const e of graph.outgoing.get(file) ?? []) if (e.resolution === 'unresolved') unresolved++;
  }
  return {
    files,
    tsconfigs: [...tsconfigs].sort(([a], [b]) => a.localeCompare(b)).map(([tsconfig, count]) => ({ tsconfig, files: count })),
    unresolvedImports: unresolved,
  };
}

/** The resolved module map in the shape `archfit modules --format json` promises; with the graph, how each module resolves. */
export function modulesDocument(config: ResolvedConfig, graph?: ImportGraph) {
  const moduleOf = (name: string) => (f: string) => graph?.files.get(f)?.module === name;
  return {
    modules: config.modules.map((m) => ({
      name: m.name,
      root: m.root,
      publicEntries: m.publicEntries,
      layers: m.layers,
      allowedDependencies: m.allowedDependencies,
      ...(graph ? resolutionOf(graph, moduleOf(m.name)) : {}),
    })),
    contexts: config.contexts.map((c) => ({ name: c.name, root: c.root })),
    ...(graph
      ? {
          outsideModules: resolutionOf(graph, (f) => !graph.files.get(f)?.module),
          tsconfigProblems: graph.tsconfigProblems,
          skipped: graph.skipped,
        }
      : {}),
  };
}

function formatText(config: ResolvedConfig, doc: ReturnType<typeof modulesDocument>): string {
  const lines: string[] = [];
  const how = (r: ReturnType<typeof resolutionOf>) => [
    `    ${r.files} files, ${r.unresolvedImports} unresolved imports`,
    ...r.tsconfigs.map((t) => `    tsconfig ${t.tsconfig}: ${t.files} files`),
  ];
  config.modules.forEach((m, i) => {
    lines.push(`${m.name}  ${m.root}  entries: ${m.publicEntries.join(', ')}  layers: ${m.layers.join(', ') || '-'}  may import: ${m.allowedDependencies.join(', ') || '-'}${m.tags.length ? `  tags: ${m.tags.join(', ')}` : ''}`);
    const r = doc.modules[i] as Partial<ReturnType<typeof resolutionOf>>;
    if (r.tsconfigs) lines.push(...how(r as ReturnType<typeof resolutionOf>));
  });
  for (const c of config.contexts) lines.push(`context ${c.name}  ${c.root}`);
  if (config.sharedKernel.length) lines.push(`shared kernel  ${config.sharedKernel.join(', ')}`);
  if (doc.outsideModules) lines.push('outside every module', ...how(doc.outsideModules));
  for (const p of doc.tsconfigProblems ?? []) lines.push(`tsconfig problem  ${p.file}: ${p.message}`);
  for (const s of doc.skipped ?? []) lines.push(`skipped  ${s.file}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}

export function registerModulesCommand(program: Command, setExit: SetExit): void {
  program
    .command('modules')
    .description('Print the resolved module map (modules, public entries, layers, allowed dependencies, contexts) with each module\'s files, governing tsconfigs and unresolved imports.')
    .argument('[dir]', 'repository root holding archfit.config.*', '.')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-cache', 'do not read or write .archfit-cache/')
    .action(async (dir: string, flags: { format: string; output?: string; cache: boolean }) => {
      try {
        const format = assertFormat(flags.format, ['text', 'json'] as const);
        const config = await loadConfig(path.resolve(dir), { rules, ...(flags.cache ? {} : { cache: false }) });
        // The graph says which tsconfig governs each module's files and what did not resolve.
        const { graph } = await buildGraph(config, flags.cache ? {} : { cache: false });
        const doc = modulesDocument(config, graph);
        emit(format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : formatText(config, doc), flags.output);
      } catch (err) {
        reportUsageError(err, 'modules', setExit);
      }
    });
}
