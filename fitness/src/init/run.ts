import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors.js';
import { findConfigFile, validateConfig } from '../config/load.js';
import { resolveConfig } from '../config/resolve.js';
import type { ArchfitConfig } from '../config/schema.js';
import { rules as registeredRules } from '../rules/index.js';
import { runCheck, type CheckResult } from '../rules/run.js';
import { archfitVersion } from '../version.js';
import { inferModuleMap, type Inference } from './infer.js';
import { renderConfig } from './render.js';

/** The file `archfit init` writes. */
export const INIT_CONFIG_FILE = 'archfit.config.ts';

/** A config already exists where init would write one (the CLI exits 3). */
export class ConfigExistsError extends Error {
  override readonly name = 'ConfigExistsError';
}

export interface InitResult {
  configFile: string;
  inference: Inference;
  dependencies: Record<string, string[]>;
  /** The first check, run with --update-baseline: every violation found is in `baselined`. */
  check: CheckResult;
  ms: number;
}

/**
 * Writes an archfit config for the repository at `root` from its own structure, runs the
 * first check and records its violations as the baseline. Refuses to replace an existing
 * config unless `force`; writes nothing when no module can be inferred.
 */
export async function runInit(options: { root: string; force?: boolean }): Promise<InitResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const existing = findConfigFile(root);
  if (existing && !options.force) throw new ConfigExistsError(`${existing} already exists in ${root}; pass --force to replace it`);

  const inference = await inferModuleMap(root);
  if (inference.modules.length === 0) {
    throw new ConfigError(
      `found no modules in ${root}: no Nx projects, Sheriff config, workspaces, tsconfig paths aliases or folders whose children have an index.ts. Write ${INIT_CONFIG_FILE} by hand (docs/fitness.md, "Adopting archfit")`,
    );
  }
  const modules = inference.modules.map((m) => ({ name: m.name, root: m.root, publicEntries: m.publicEntries }));
  const dependencies: Record<string, string[]> = {};
  const observed = new Set<string>();
  for (const m of inference.modules) if (m.declaredDependencies?.length) dependencies[m.name] = [...m.declaredDependencies];

  const undeclared = inference.modules.filter((m) => m.declaredDependencies === undefined);
  if (undeclared.length > 0) {
    // Nothing declares these modules' dependencies: take today's imports as the starting map,
    // so the first check reports deep imports and cycles, not every cross-module import.
    const probe = resolveConfig(validateConfig({ modules, dependencies }), root, INIT_CONFIG_FILE, registeredRules);
    const today = await runCheck({ root, config: probe, noBaseline: true, only: ['no-undeclared-module-dependency'] });
    const wanted = new Set(undeclared.map((m) => m.name));
    for (const v of today.violations) {
      if (!v.from || !v.to || !wanted.has(v.from)) continue;
      dependencies[v.from] ??= [];
      if (!dependencies[v.from]!.includes(v.to)) dependencies[v.from]!.push(v.to);
      observed.add(v.from);
    }
    for (const deps of Object.values(dependencies)) deps.sort();
  }

  const text = renderConfig({ inference, dependencies, observed, version: archfitVersion() });
  // Validated before it is written: init never leaves a config `check` would reject.
  const config: ArchfitConfig = validateConfig({ modules, dependencies, ...tagsOf(inference) });
  resolveConfig(config, root, INIT_CONFIG_FILE, registeredRules);
  writeFileSync(path.join(root, INIT_CONFIG_FILE), text);
  const check = await runCheck({ root, updateBaseline: true });
  return { configFile: INIT_CONFIG_FILE, inference, dependencies, check, ms: Math.round(performance.now() - started) };
}

function tagsOf(inference: Inference): { tags?: Record<string, string[]> } {
  const tagged = inference.modules.filter((m) => m.tags?.length);
  return tagged.length ? { tags: Object.fromEntries(tagged.map((m) => [m.name, m.tags!])) } : {};
}
