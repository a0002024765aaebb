import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What an ADR may point at outside adr/: the fitness rules archfit runs (for `confirmation`)
 * and the load scenarios whose thresholds and metrics produce evidence (for `confirmation`
 * and for a trigger's `source`).
 */

/**
 * Every rule id the registry lists, as data: adr/ checks `confirmation` names against it without
 * importing the registry (which imports adr/ for the adr-valid rule). A test keeps the two equal.
 */
export const STABLE_RULE_IDS = [
  'module-boundary',
  'no-undeclared-module-dependency',
  'public-api-leak',
  'layer-direction',
  'context-isolation',
  'no-module-cycle',
  'unresolved-import',
  'route-declares-auth',
  'data-ownership',
  'adr-valid',
  'revisit-required',
] as const;

/** STABLE_RULE_IDS plus any the caller adds (`archfit adr lint` hands down the registry's). */
export async function knownRuleIds(registered: readonly string[] = []): Promise<string[]> {
  return [...new Set<string>([...STABLE_RULE_IDS, ...registered])].sort();
}

export interface ScenarioRefs {
  id: string;
  /** Repository-relative path of the scenario file. */
  file: string;
  thresholdIds: Set<string>;
  /** Each threshold's metric and value, so the lint can tell an ADR restating it with another number. */
  thresholds?: Map<string, { metric: string; value: number }>;
  /** Metrics the scenario reports: those its thresholds test plus any listed under `metrics`. */
  metrics: Set<string>;
}

export class ScenarioReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}:1: ${reason}`);
    this.name = 'ScenarioReadError';
  }
}

/**
 * Reads every `<id>.json` in the scenarios directory. A missing directory means no scenarios
 * (a repository without load tests); a file that is not JSON is bad input and throws.
 */
export async function loadScenarioRefs(root: string, scenariosDir: string): Promise<Map<string, ScenarioRefs>> {
  const abs = path.resolve(root, scenariosDir);
  const scenarios = new Map<string, ScenarioRefs>();
  let names: string[];
  try {
    names = (await readdir(abs)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return scenarios;
    throw err;
  }
  for (const name of names) {
    const file = path.posix.join(scenariosDir.split(path.sep).join('/'), name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.join(abs, name), 'utf8'));
    } catch (err) {
      throw new ScenarioReadError(file, `scenario is not valid JSON: ${(err as Error).message}`);
    }
    const id = name.slice(0, -'.json'.length);
    const refs: ScenarioRefs = { id, file, thresholdIds: new Set(), thresholds: new Map(), metrics: new Set() };
    const body = (json ?? {}) as { thresholds?: unknown; metrics?: unknown };
    if (Array.isArray(body.thresholds)) {
      for (const t of body.thresholds as Array<{ id?: unknown; metric?: unknown }>) {
        if (typeof t?.id === 'string') refs.thresholdIds.add(t.id);
        const value = (t as { value?: unknown }).value;
        if (typeof t?.id === 'string' && typeof t.metric === 'string' && typeof value === 'number') refs.thresholds!.set(t.id, { metric: t.metric, value });
        if (typeof t?.metric === 'string') refs.metrics.add(t.metric);
      }
    }
    // `metrics` may be a list of names, a list of { name }, or a map keyed by name.
    if (Array.isArray(body.metrics)) {
      for (const m of body.metrics as unknown[]) {
        if (typeof m === 'string') refs.metrics.add(m);
        else if (typeof (m as { name?: unknown })?.name === 'string') refs.metrics.add((m as { name: string }).name);
      }
    } else if (body.metrics && typeof body.metrics === 'object') {
      for (const key of Object.keys(body.metrics)) refs.metrics.add(key);
    }
    scenarios.set(id, refs);
  }
  return scenarios;
}
