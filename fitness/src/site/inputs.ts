import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { loadAdrCollection, type AdrCollection } from '../adr/collection.js';
import { AdrReadError } from '../adr/parse.js';
import { loadScenarioRefs, type ScenarioRefs } from '../adr/references.js';
import { findConfigFile, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { moduleGraph, type ModuleGraph } from '../graph/module-graph.js';
import { rules } from '../rules/index.js';
import { runCheck, type CheckResult } from '../rules/run.js';
import { evaluateTriggers, readEvidence, triggerSettingsFromConfig, type EvidenceRead, type TriggerSettings } from '../triggers/index.js';
import type { TriggerReport } from '../triggers/index.js';
import { readCriteria, type CriteriaResults } from './criteria.js';
import { readModuleFacts, type ModuleFacts } from './module-facts.js';
import { findServiceCatalog, fetchLiveHealth, type LiveHealth, type ServiceCatalogFacts } from './service-catalog.js';

/** Evidence files are `<scenario>-<timestamp>.json` (the writer's naming, see triggers/evidence-store). */
export const EVIDENCE_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)-(\d{8}T\d{6}(?:\d{3})?Z)\.json$/;

export interface EvidenceFile {
  /** Repo-relative path of the JSON file. */
  file: string;
  scenario: string;
  /** The timestamp in the name (sorts lexically). */
  stamp: string;
  read: EvidenceRead;
  /** Repo-relative paths of the per-run reports written beside it (`.html`, `.md`), when present. */
  reports: string[];
}

/** Everything the site shows, read once from the repository. The page builders are pure functions of this. */
export interface SiteInputs {
  /** Display name of the repository (its folder name). */
  name: string;
  /** Repo-relative config file, when the repository has one. */
  configFile?: string;
  config?: ResolvedConfig;
  /** The full check (with the baseline applied): violations, baseline debt, rule summaries. */
  check?: CheckResult;
  moduleGraph?: ModuleGraph;
  modules: ModuleFacts[];
  adr: { dir: string; collection: AdrCollection | undefined; problem?: string };
  triggers: TriggerReport | undefined;
  /** Success and rollback criteria of extraction records, evaluated as `archfit adr criteria` does. */
  criteria: CriteriaResults;
  evidence: EvidenceFile[];
  resultsDir: string;
  scenarios: Map<string, ScenarioRefs>;
  services: ServiceCatalogFacts | undefined;
  live?: LiveHealth;
  /** What could not be read, each one sentence: shown on the home page instead of failing the build. */
  problems: string[];
  /** The moment triggers were evaluated against (stale evidence depends on it). */
  now: Date;
}

export interface CollectOptions {
  root: string;
  /** A running app whose service health to fetch at build time. */
  appUrl?: string;
  appToken?: string;
  /** Taken as now for trigger evaluation (tests and reproducible builds). */
  now?: Date;
  cache?: boolean;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Reads the repository through the library's public functions. A repository without an
 * archfit config, ADRs, evidence or a service catalog still gets a site: the sections without
 * data say what would fill them. A config that exists but is invalid is an error (exit 2):
 * a site built around it would silently show nothing.
 */
export async function collectSiteInputs(options: CollectOptions): Promise<SiteInputs> {
  const root = path.resolve(options.root);
  const now = options.now ?? new Date();
  const problems: string[] = [];
  const configFile = findConfigFile(root);
  // The rule registry is passed as runCheck passes it, so config validation knows every rule id.
  const config = configFile ? await loadConfig(root, { rules }) : undefined;

  let check: CheckResult | undefined;
  let graph: ModuleGraph | undefined;
  let modules: ModuleFacts[] = [];
  let cacheDir: string | undefined;
  if (config) {
    try {
      check = await runCheck({ root, config, ...(options.cache !== undefined ? { cache: options.cache } : {}) });
      graph = moduleGraph(config, check.graph, [...check.violations, ...check.baselined]);
      cacheDir = (options.cache ?? config.cache.enabled) ? path.join(root, config.cache.dir) : undefined;
      modules = await readModuleFacts(config, { hashes: check.graph.hashes, ...(cacheDir ? { cacheDir } : {}) });
    } catch (err) {
      problems.push(`archfit check could not run: ${message(err)}`);
    }
  }

  const adrDir = config?.adr.dir ?? 'adr';
  let collection: AdrCollection | undefined;
  let adrProblem: string | undefined;
  try {
    collection = await loadAdrCollection(root, adrDir);
    for (const e of collection.unreadable) problems.push(e.message);
  } catch (err) {
    if (!(err instanceof AdrReadError)) throw err;
    adrProblem = err.message;
  }

  const settings: TriggerSettings = config
    ? { ...triggerSettingsFromConfig(config), now }
    : { root, adrDir, resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [], now };
  let triggers: TriggerReport | undefined;
  if (collection) {
    triggers = await evaluateTriggers(settings);
    problems.push(...triggers.problems.filter((p) => !collection.unreadable.some((u) => u.message === p)));
  }

  let scenarios = new Map<string, ScenarioRefs>();
  try {
    scenarios = await loadScenarioRefs(root, settings.scenariosDir);
  } catch (err) {
    problems.push(message(err));
  }
  const evidence = await readAllEvidence(root, settings.resultsDir);
  const criteria = await readCriteria(root, settings.resultsDir, collection?.records ?? []);

  let services: ServiceCatalogFacts | undefined;
  if (check) services = await findServiceCatalog(root, check.graph.hashes, cacheDir);
  const live = options.appUrl && services ? await fetchLiveHealth(options.appUrl, services, options.appToken) : undefined;

  return {
    name: path.basename(root),
    ...(configFile ? { configFile } : {}),
    ...(config ? { config } : {}),
    ...(check ? { check } : {}),
    ...(graph ? { moduleGraph: graph } : {}),
    modules,
    adr: { dir: adrDir, collection, ...(adrProblem ? { problem: adrProblem } : {}) },
    triggers,
    criteria,
    evidence,
    resultsDir: settings.resultsDir,
    scenarios,
    services,
    ...(live ? { live } : {}),
    problems: [...new Set(problems)].sort(),
    now,
  };
}

/** Every evidence file in the results folder, oldest first per scenario, with the reports beside it. */
export async function readAllEvidence(root: string, resultsDir: string): Promise<EvidenceFile[]> {
  // A missing folder is a repository without load evidence: no files, not an error.
  const names = await glob('*.json', { cwd: path.resolve(root, resultsDir), onlyFiles: true });
  const dir = resultsDir.split(path.sep).join('/');
  const out: EvidenceFile[] = [];
  for (const name of names.sort()) {
    const m = EVIDENCE_FILE.exec(name);
    if (!m) continue;
    const file = path.posix.join(dir, name);
    const reports = ['.html', '.md']
      .map((ext) => file.replace(/\.json$/, ext))
      .filter((f) => existsSync(path.resolve(root, f)));
    out.push({ file, scenario: m[1]!, stamp: m[2]!, read: await readEvidence(root, file), reports });
  }
  return out.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.stamp.localeCompare(b.stamp));
}

/** Reads a repo-relative file for copying into the site; undefined when it is gone. */
export async function readRepoFile(root: string, file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path.resolve(root, file));
  } catch {
    return undefined;
  }
}
