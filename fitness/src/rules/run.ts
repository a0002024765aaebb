import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { buildGraph, type GraphStats } from '../graph/build.js';
import type { ImportGraph } from '../graph/types.js';
import { applyBaseline, readBaseline, writeBaseline, writeBaselineEntries, type BaselineEntry } from './baseline.js';
import { applyExemptions, type Exempted } from './exemptions.js';
import { rules as registeredRules } from './index.js';
import type { Rule, Violation } from './types.js';

export interface CheckOptions {
  /** Repository root (where the archfit config lives). */
  root: string;
  /** Use this config instead of loading the one at `root`. */
  config?: ResolvedConfig;
  /** Read and write `.archfit-cache/` (default: the config's `cache.enabled`). */
  cache?: boolean;
  /** Report only violations in files changed since this git ref (plus module cycles). */
  changed?: string;
  /** Ignore the baseline file (report every violation as new). */
  noBaseline?: boolean;
  /** Record today's violations as the baseline (a full run only). */
  updateBaseline?: boolean;
  /** Run only these rule ids. */
  only?: string[];
  /** The rule set (default: the registry). */
  rules?: readonly Rule[];
}

export interface RuleSummary {
  id: string;
  severity: 'error' | 'warn';
  enabled: boolean;
  why: string;
  fix: string;
  violations: number;
  /** Wall time of the rule's check this run, in milliseconds (enabled rules only). */
  ms?: number;
}

export interface CheckResult {
  /** Version of this result's JSON shape (see docs/fitness.md). */
  schemaVersion: 1;
  root: string;
  configFile: string;
  /** New violations: not exempted, not in the baseline. These decide the exit code. */
  violations: Violation[];
  /** Violations recorded in the baseline. */
  baselined: Violation[];
  exempted: Exempted[];
  /** Baseline entries that no longer occur: they fail the run until the baseline is updated. */
  staleBaseline: BaselineEntry[];
  rules: RuleSummary[];
  /** Set when `--changed` restricted the run. */
  changedFiles?: string[];
  /** Set when `updateBaseline` wrote the file: entries recorded. */
  baselineWritten?: number;
  /** Set when a schemaVersion 1 baseline was rekeyed to stable identities and rewritten. */
  baselineMigrated?: number;
  stats: GraphStats & { rulesMs: number; totalMs: number };
  /** The resolved config and import graph the run used (not part of the JSON report). */
  config: ResolvedConfig;
  graph: ImportGraph;
  /** 0 clean, 1 when a new error-severity violation or a stale baseline entry exists. */
  exitCode: 0 | 1;
}

/** Runs every enabled rule on the repository at `options.root`. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const rules = options.rules ?? registeredRules;
  const config = options.config ?? (await loadConfig(path.resolve(options.root), { rules, ...(options.cache === false ? { cache: false } : {}) }));
  // The config may be found in a parent folder: that folder is the repository root.
  const root = config.root;
  if (options.only) {
    for (const id of options.only) if (!rules.some((r) => r.id === id)) throw new ConfigError(`unknown rule "${id}"`, '--rule');
  }
  if (options.updateBaseline && options.changed) throw new ConfigError('--update-baseline needs a full run; drop --changed');
  const cacheOn = options.cache ?? config.cache.enabled;
  const { graph, stats } = await buildGraph(config, { cache: cacheOn });
  const changedFiles = options.changed ? changedSince(root, options.changed, graph) : undefined;
  const focus = changedFiles ? new Set(changedFiles) : undefined;

  const rulesStarted = performance.now();
  const active = rules.filter((r) => config.rules[r.id]?.enabled !== false && (!options.only || options.only.includes(r.id)));
  const cacheDir = cacheOn ? path.join(root, config.cache.dir) : undefined;
  const raw: Violation[] = [];
  const counts = new Map<string, number>();
  const times = new Map<string, number>();
  for (const rule of active) {
    const ruleStarted = performance.now();
    const found = await rule.check({ root, config, graph, ...(focus ? { focus } : {}), ...(cacheDir ? { cacheDir } : {}) });
    const severity = config.rules[rule.id]?.severity ?? rule.severity;
    counts.set(rule.id, found.length);
    times.set(rule.id, Math.round(performance.now() - ruleStarted));
    for (const v of found) raw.push({ ...v, severity });
  }
  const rulesMs = Math.round(performance.now() - rulesStarted);

  const knownIds = new Set(rules.map((r) => r.id));
  const { active: remaining, exempted, findings } = applyExemptions(raw, graph, config, knownIds, !focus && !options.only);
  const scoped = focus ? [...remaining, ...findings].filter((v) => focus.has(v.file) || v.rule === 'no-module-cycle') : [...remaining, ...findings];
  const order = new Map(rules.map((r, i) => [r.id, i]));
  // Code-unit order, not localeCompare: the same on every machine whatever its locale, and it
  // spares an unchanged run the 10 ms ICU takes to set up its collator.
  scoped.sort(
    (a, b) => (order.get(a.rule) ?? 99) - (order.get(b.rule) ?? 99) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );

  let baselineWritten: number | undefined;
  let fresh = scoped;
  let known: Violation[] = [];
  let stale: BaselineEntry[] = [];
  let baselineMigrated: number | undefined;
  if (options.updateBaseline) {
    baselineWritten = writeBaseline(root, config.baseline, scoped).length;
    known = scoped;
    fresh = [];
  } else if (!options.noBaseline) {
    const entries = readBaseline(root, config.baseline);
    if (entries) {
      const outcome = applyBaseline(scoped, entries);
      ({ fresh, known, stale } = outcome);
      // Old message-keyed entries are rewritten by identity on a full run, while their
      // messages still match (a later config edit that changes a message cannot unmatch them).
      if (outcome.migrated && !focus && !options.only) {
        writeBaselineEntries(root, config.baseline, outcome.migrated);
        baselineMigrated = outcome.migrated.length;
      }
      // A partial run cannot tell a fixed violation from one it did not look at.
      if (focus || options.only) stale = [];
    }
  }

  const failing = fresh.some((v) => v.severity === 'error') || stale.length > 0;
  return {
    schemaVersion: 1,
    root,
    configFile: config.configFile,
    violations: fresh,
    baselined: known,
    exempted,
    staleBaseline: stale,
    rules: rules.map((r) => ({
      id: r.id,
      severity: config.rules[r.id]?.severity ?? r.severity,
      enabled: active.includes(r),
      why: r.why,
      fix: r.fix,
      violations: counts.get(r.id) ?? 0,
      ...(times.has(r.id) ? { ms: times.get(r.id)! } : {}),
    })),
    ...(changedFiles ? { changedFiles } : {}),
    ...(baselineWritten !== undefined ? { baselineWritten } : {}),
    ...(baselineMigrated !== undefined ? { baselineMigrated } : {}),
    stats: { ...stats, rulesMs, totalMs: Math.round(performance.now() - started) },
    config,
    graph,
    exitCode: failing ? 1 : 0,
  };
}

/** Scanned files changed since `ref`: committed, staged, unstaged and untracked. */
function changedSince(root: string, ref: string, graph: ImportGraph): string[] {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new ConfigError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, '--changed');
    }
  };
  const names = [
    ...git('diff', '--name-only', '--relative', ref, '--').split('\n'),
    ...git('ls-files', '--others', '--exclude-standard').split('\n'),
  ];
  return [...new Set(names.filter((n) => n && graph.files.has(n)))].sort();
}
