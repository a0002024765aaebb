import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { type SetExit } from '../exit-codes.js';
import { assertFormat, emit, reportUsageError } from '../../report/cli-output.js';

/** The resolved module map in the shape `archfit modules --format json` promises. */
export function modulesDocument(config: ResolvedConfig) {
  return {
    modules: config.modules.map((m) => ({
      name: m.name,
      root: m.root,
      publicEntries: m.publicEntries,
      layers: m.layers,
      allowedDependencies: m.allowedDependencies,
    })),
    contexts: config.contexts.map((c) => ({ name: c.name, root: c.root })),
  };
}

function formatText(config: ResolvedConfig): string {
  const lines = config.modules.map(
    (m) => `${m.name}  ${m.root}  entries: ${m.publicEntries.join(', ')}  layers: ${m.layers.join(', ') || '-'}  may import: ${m.allowedDependencies.join(', ') || '-'}${m.tags.length ? `  tags: ${m.tags.join(', ')}` : ''}`,
  );
  for (const c of config.contexts) lines.push(`context ${c.name}  ${c.root}`);
  if (config.sharedKernel.length) lines.push(`shared kernel  ${config.sharedKernel.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function registerModulesCommand(program: Command, setExit: SetExit): void {
  program
    .command('modules')
    .description('Print the resolved module map (modules, public entries, layers, allowed dependencies, contexts).')
    .argument('[dir]', 'repository root holding archfit.config.*', '.')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (dir: string, flags: { format: string; output?: string }) => {
      try {
        const format = assertFormat(flags.format, ['text', 'json'] as const);
        const config = await loadConfig(path.resolve(dir));
        emit(format === 'json' ? `${JSON.stringify(modulesDocument(config), null, 2)}\n` : formatText(config), flags.output);
      } catch (err) {
        reportUsageError(err, 'modules', setExit);
      }
    });
}
