import path from 'node:path';
import { loadScenario } from '../scenarios/load-scenario.js';
import type { ProfileName, Scenario } from '../scenarios/schema.js';
import { REPO_ROOT } from './app-process.js';
import { runComputeLatency } from './compute-latency.js';
import { postgresVersion } from './database.js';
import { runDau } from './dau.js';
import { buildEvidence, gitCommit, machineFacts, RUNNER_VERSION, writeEvidence, type Evidence } from './evidence.js';
import { writeReports } from './report.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';
import { runWriteContention } from './write-contention.js';

export interface ScenarioRun {
  evidence: Evidence;
  file: string;
  reports: { md: string; html: string };
}

function dispatch(scenario: Scenario, ctx: RunContext): Promise<ScenarioOutcome> {
  switch (scenario.kind) {
    case 'dau':
      return runDau(scenario, ctx);
    case 'write-contention':
      return runWriteContention(scenario, ctx);
    case 'compute-latency':
      return runComputeLatency(scenario, ctx);
  }
}

/** Runs one scenario with the open-model runner and writes its evidence and reports. */
export async function runScenario(id: string, ctx: RunContext & { resultsDir: string; scenariosDir?: string }): Promise<ScenarioRun> {
  const { scenario, hash } = await loadScenario(id, ctx.scenariosDir);
  const startedAt = new Date();
  // Taken before the run: the run's own load would otherwise be counted as other work.
  const machine = machineFacts(await postgresVersion(ctx.adminUrl).catch(() => undefined));
  const outcome = await dispatch(scenario, ctx);
  const finishedAt = new Date();
  const evidence = buildEvidence({
    scenario: scenario.id,
    definitionHash: hash,
    profile: ctx.profile satisfies ProfileName,
    runner: { name: 'archfit-open-model', version: RUNNER_VERSION },
    startedAt,
    finishedAt,
    interrupted: outcome.interrupted,
    commit: await gitCommit(REPO_ROOT),
    machine,
    target: { url: outcome.targetUrl, appEnv: outcome.appEnv },
    steps: outcome.steps,
    database: outcome.database,
    metrics: outcome.metrics,
    units: outcome.units,
    thresholds: scenario.thresholds,
    notes: outcome.notes,
  });
  const file = await writeEvidence(ctx.resultsDir, evidence);
  const shown = path.relative(REPO_ROOT, file).split(path.sep).join('/');
  const reports = await writeReports(evidence, file, shown.startsWith('..') ? file : shown);
  return { evidence, file, reports };
}
