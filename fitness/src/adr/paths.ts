import path from 'node:path';
import { findConfigFile, loadConfig } from '../config/load.js';
import type { ConfigRule } from '../config/types.js';

export interface AdrPaths {
  /** Absolute repository root. */
  root: string;
  /** Repository-relative ADR directory. */
  dir: string;
  /** Repository-relative load scenarios directory. */
  scenariosDir: string;
  /** Config `adr.requireConfirmation`: accepted records must name a machine confirmation. */
  requireConfirmation: boolean;
  /** Config `adr.naming`. */
  naming: 'number' | 'date';
}

/**
 * Where the records and the load scenarios live: explicit options first, then the archfit
 * config (`adr.dir`, `load.scenarios`), then the defaults. A repository without an archfit
 * config still gets `adr/`, so the ADR tools work on any repository. The config is validated
 * against `options.rules`, which the caller hands in (the CLI and the package entry pass the
 * rule registry: adr/ comes before rules/ in the pipeline and may not import it).
 */
export async function resolveAdrPaths(options: { root?: string; dir?: string; scenarios?: string; rules: readonly ConfigRule[] }): Promise<AdrPaths> {
  const root = path.resolve(options.root ?? process.cwd());
  let dir = 'adr';
  let scenariosDir = 'load/scenarios';
  let requireConfirmation = false;
  let naming: 'number' | 'date' = 'number';
  if (findConfigFile(root)) {
    const config = await loadConfig(root, { rules: options.rules });
    dir = config.adr.dir;
    scenariosDir = config.load.scenarios;
    requireConfirmation = config.adr.requireConfirmation ?? false;
    naming = config.adr.naming ?? 'number';
  }
  return { root, dir: options.dir ?? dir, scenariosDir: options.scenarios ?? scenariosDir, requireConfirmation, naming };
}
