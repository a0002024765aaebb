import path from 'node:path';
import type { Command } from 'commander';
import { ConfigExistsError, runInit, type InitResult } from '../../init/run.js';
import { reportUsageError } from '../../report/cli-output.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/** How many of the first check's violations init prints (all are in the baseline). */
const SHOWN = 10;

export function registerInitCommand(program: Command, setExit: SetExit): void {
  program
    .command('init')
    .description('Write archfit.config.ts from the repository (workspaces, tsconfig paths, Nx, Sheriff, index folders), run a first check and record its violations as the baseline. Exit 3 when a config exists.')
    .argument('[dir]', 'repository root', '.')
    .option('--force', 'replace an existing archfit config')
    .action(async (dir: string, flags: { force?: boolean }) => {
      try {
        const result = await runInit({ root: path.resolve(dir), ...(flags.force ? { force: true } : {}) });
        process.stdout.write(formatInit(result));
      } catch (err) {
        if (err instanceof ConfigExistsError) {
          process.stderr.write(`archfit init: ${err.message}\n`);
          setExit(EXIT.exists);
          return;
        }
        reportUsageError(err, 'init', setExit);
      }
    });
}

export function formatInit(result: InitResult): string {
  const { check, inference } = result;
  const found = check.baselined;
  const lines = [`archfit init: wrote ${result.configFile} with ${inference.modules.length} modules`];
  for (const n of inference.notes) lines.push(`  from ${n}`);
  const observed = Object.entries(result.observed);
  if (observed.length) {
    const pairs = observed.reduce((n, [, deps]) => n + deps.length, 0);
    const undeclaredPackages = observed.filter(([m]) => inference.modules.find((x) => x.name === m)?.declaredDependencies !== undefined);
    lines.push(
      `dependencies: ${pairs} observed in today's imports and allowed, marked \`observed\` in the config${undeclaredPackages.length ? ` (${undeclaredPackages.map(([m, d]) => `${m} -> ${d.join(', ')}`).join('; ')}: workspace packages imported without a package.json dependency)` : ''}`,
    );
  }
  const byRule = new Map<string, number>();
  for (const v of found) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  const s = check.stats;
  lines.push(`first check: ${s.files} files, ${s.edges} imports; ${found.length} violation${found.length === 1 ? '' : 's'}${byRule.size ? ` (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`);
  for (const v of found.slice(0, SHOWN)) lines.push(`  ${v.file}:${v.line}:${v.column}  [${v.rule}] ${v.message}`);
  if (found.length > SHOWN) lines.push(`  … ${found.length - SHOWN} more: \`npx archfit check --no-baseline\` lists them all`);
  lines.push(
    `baseline: ${check.baselineWritten ?? 0} entries recorded in ${check.config.baseline} as known debt; \`archfit check\` now fails only on new violations`,
    `next: review ${result.configFile} (each module says where it came from), then commit it with ${check.config.baseline}`,
    `done in ${(result.ms / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
