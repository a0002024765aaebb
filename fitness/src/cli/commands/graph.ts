import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../config/errors.js';
import { loadConfig } from '../../config/load.js';
import { buildGraph } from '../../graph/build.js';
import { fileGraphDocument } from '../../graph/file-graph.js';
import { moduleGraph } from '../../graph/module-graph.js';
import { toDot, toMermaid } from '../../report/graph-text.js';
import { toHtml, toSvg } from '../../report/graph-svg.js';
import { rules } from '../../rules/index.js';
import { runCheck } from '../../rules/run.js';
import { type SetExit } from '../exit-codes.js';
import { assertFormat, emit, reportUsageError } from '../../report/cli-output.js';

const GRAPH_FORMATS = ['mermaid', 'dot', 'svg', 'html', 'json'] as const;

function assertLevel(level: string): 'module' | 'file' {
  if (level === 'module' || level === 'file') return level;
  throw new ConfigError(`unknown level "${level}"; use module or file`, '--level');
}

export function registerGraphCommand(program: Command, setExit: SetExit): void {
  program
    .command('graph')
    .description('Draw the module dependency graph with violating edges marked (mermaid, dot, svg, html, json).')
    .argument('[dir]', 'repository root holding archfit.config.*', '.')
    .option('-f, --format <format>', GRAPH_FORMATS.join(', '), 'mermaid')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-cache', 'do not read or write .archfit-cache/')
    .option('--level <level>', 'module (the module graph) or file (every import edge and how it resolved; json only)', 'module')
    .action(async (dir: string, flags: { format: string; output?: string; cache: boolean; level: string }) => {
      try {
        const format = assertFormat(flags.format, GRAPH_FORMATS);
        const level = assertLevel(flags.level);
        if (level === 'file') {
          if (format !== 'json') throw new ConfigError(`--level file prints json only (got --format ${format})`, '--format');
          const config = await loadConfig(path.resolve(dir), { rules, ...(flags.cache ? {} : { cache: false }) });
          const { graph, stats } = await buildGraph(config, flags.cache ? {} : { cache: false });
          emit(`${JSON.stringify(fileGraphDocument(graph, stats.imports), null, 2)}\n`, flags.output);
          return;
        }
        const result = await runCheck({ root: path.resolve(dir), noBaseline: true, ...(flags.cache ? {} : { cache: false }) });
        const g = moduleGraph(result.config, result.graph, result.violations);
        const render = { mermaid: toMermaid, dot: toDot, svg: toSvg, html: toHtml, json: (x: typeof g) => `${JSON.stringify(x, null, 2)}\n` }[format];
        emit(render(g), flags.output);
      } catch (err) {
        reportUsageError(err, 'graph', setExit);
      }
    });
}
