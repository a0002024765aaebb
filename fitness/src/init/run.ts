import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors.js';
import { findConfigFile } from '../config/load.js';
import { validateConfig } from '../config/validate.js';
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
  /** module -> dependencies only today's imports declare (also in `dependencies`). */
  observed: Record<string, string[]>;
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
  const observed: Record<string, string[]> = {};
  for (const m of inference.modules) if (m.declaredDependencies?.length) dependencies[m.name] = [...m.declaredDependencies];

  // Today's imports complete the map: a dependency nothing declares (no package.json entry,
  // or modules found by folder) is allowed and marked as observed, so the first check reports
  // what is worth reading (deep imports past a public entry, cycles) rather than every
  // cross-module import. Deleting an observed entry turns its imports into violations.
  const probe = resolveConfig(validateConfig({ modules, dependencies }), root, INIT_CONFIG_FILE, registeredRules);
  const today = await runCheck({ root, config: probe, noBaseline: true, only: ['no-undeclared-module-dependency', 'module-boundary'] });
  for (const v of today.violations) {
    if (v.rule !== 'no-undeclared-module-dependency' || !v.from || !v.to) continue;
    dependencies[v.from] ??= [];
    observed[v.from] ??= [];
    if (!dependencies[v.from]!.includes(v.to)) dependencies[v.from]!.push(v.to);
    if (!observed[v.from]!.includes(v.to)) observed[v.from]!.push(v.to);
  }
  for (const deps of [...Object.values(dependencies), ...Object.values(observed)]) deps.sort();
  // A package that exports a wildcard subpath (`./*`) makes every file it maps public: deep
  // imports through it are its published API, not a boundary breach.
  const reached = new Set(today.violations.filter((v) => v.rule === 'module-boundary').map((v) => v.to));
  const exemptions = inference.modules
    .filter((m) => m.wildcardExports && reached.has(m.name))
    .map((m) => ({ rule: 'module-boundary', file: '**', to: m.name, reason: `${m.root}/package.json exports a wildcard subpath: every file it maps is public API` }));

  const text = renderConfig({ inference, dependencies, observed, exemptions, version: archfitVersion() });
  // Validated before it is written: init never leaves a config `check` would reject.
  const config: ArchfitConfig = validateConfig({ modules, dependencies, ...tagsOf(inference), ...(exemptions.length ? { exemptions } : {}) });
  resolveConfig(config, root, INIT_CONFIG_FILE, registeredRules);
  writeFileSync(path.join(root, INIT_CONFIG_FILE), text);
  const check = await runCheck({ root, updateBaseline: true });
  return { configFile: INIT_CONFIG_FILE, inference, dependencies, observed, check, ms: Math.round(performance.now() - started) };
}

function tagsOf(inference: Inference): { tags?: Record<string, string[]> } {
  const tagged = inference.modules.filter((m) => m.tags?.length);
  return tagged.length ? { tags: Object.fromEntries(tagged.map((m) => [m.name, m.tags!])) } : {};
}
