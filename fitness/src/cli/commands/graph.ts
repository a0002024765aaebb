import path from 'node:path';
import type { Command } from 'commander';
import { moduleGraph } from '../../graph/module-graph.js';
import { toDot, toMermaid } from '../../report/graph-text.js';
import { toHtml, toSvg } from '../../report/graph-svg.js';
import { runCheck } from '../../rules/run.js';
import { type SetExit } from '../exit-codes.js';
import { assertFormat, emit, reportUsageError } from '../../report/cli-output.js';

const GRAPH_FORMATS = ['mermaid', 'dot', 'svg', 'html', 'json'] as const;

export function registerGraphCommand(program: Command, setExit: SetExit): void {
  program
    .command('graph')
    .description('Draw the module dependency graph with violating edges marked (mermaid, dot, svg, html, json).')
    .argument('[dir]', 'repository root holding archfit.config.*', '.')
    .option('-f, --format <format>', GRAPH_FORMATS.join(', '), 'mermaid')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-cache', 'do not read or write .archfit-cache/')
    .action(async (dir: string, flags: { format: string; output?: string; cache: boolean }) => {
      try {
        const format = assertFormat(flags.format, GRAPH_FORMATS);
        const result = await runCheck({ root: path.resolve(dir), noBaseline: true, ...(flags.cache ? {} : { cache: false }) });
        const g = moduleGraph(result.config, result.graph, result.violations);
        const render = { mermaid: toMermaid, dot: toDot, svg: toSvg, html: toHtml, json: (x: typeof g) => `${JSON.stringify(x, null, 2)}\n` }[format];
        emit(render(g), flags.output);
      } catch (err) {
        reportUsageError(err, 'graph', setExit);
      }
    });
}
