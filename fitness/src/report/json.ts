import type { CheckResult } from '../rules/run.js';

/**
 * The `--format json` document. Its shape is versioned by `schemaVersion` and documented in
 * docs/fitness.md; fields are only ever added within a version.
 */
export function formatJson(result: CheckResult): string {
  const { schemaVersion, configFile, violations, baselined, exempted, staleBaseline, rules, changedFiles, stats, exitCode } = result;
  const errors = violations.filter((v) => v.severity === 'error').length;
  const doc = {
    schemaVersion,
    tool: 'archfit',
    configFile,
    exitCode,
    summary: {
      errors,
      warnings: violations.length - errors,
      baselined: baselined.length,
      exempted: exempted.length,
      staleBaseline: staleBaseline.length,
      files: stats.files,
      imports: stats.edges,
      /** Imports per specifier shape, resolved and not (unresolved-import reports the unresolved ones). */
      resolution: stats.imports,
      skippedFiles: stats.skipped,
    },
    violations,
    baselined,
    exempted: exempted.map((e) => ({ ...e.violation, reason: e.reason, via: e.via })),
    staleBaseline,
    rules,
    ...(changedFiles ? { changedFiles } : {}),
    timings: { totalMs: stats.totalMs, graphMs: stats.ms, rulesMs: stats.rulesMs, parsedFiles: stats.parsed },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
