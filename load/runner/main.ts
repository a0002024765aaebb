import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEFAULT_EVIDENCE_POLICY, evaluateTriggers, judgeEvidence, formatCheckResult, formatTriggerTable, gateFindings, loadConfig, rules, runCheck, triggerSettingsFromConfig, type TriggerSettings } from 'archfit';
import { ScenarioError } from '../scenarios/load-scenario.js';
import { LOOP_SCENARIOS, SCENARIO_IDS, type ProfileName } from '../scenarios/schema.js';
import { REPO_ROOT } from './app-process.js';
import { resolveAdminServer } from './database.js';
import { loopExitCode } from './loop-gate.js';
import { stopOnCtrlC } from './interrupt.js';
import { CalibrationError, runScenario } from './run-scenario.js';
import type { RunContext } from './scenario-context.js';

const USAGE = `usage: npm run load -- [scenario...] [--quick | --profile full|quick|test] [--loop] [--runner open|autocannon|k6] [--results <dir>] [--no-triggers]
  scenarios: ${SCENARIO_IDS.join(', ')} (default: all; --loop: ${LOOP_SCENARIOS.join(', ')})
  --quick      the short profile (the loop's three request-path scenarios: under two minutes); indicative, never trigger evidence
  --loop       npm run loop: the architecture check, the quick profile into load/results/quick/, the trigger table;
               thresholds are findings, and it exits 1 only when a trigger fired without an accepted revisit
  exit: 0 ran (every threshold held, unless --loop), 1 a threshold failed (--loop: an unanswered firing), 2 bad input,
        4 the runner could not calibrate within tolerance, so no evidence was written
  --runner autocannon  closed-model throughput at 10 and 50 connections (regression figures, no SLO verdicts)
  --runner k6  run load/k6/<scenario>.ts with a k6 on PATH instead of the in-repo open-model runner
  env: LOAD_ADMIN_DATABASE_URL to use your own PostgreSQL (default: a throw-away embedded one)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      loop: { type: 'boolean', default: false },
      profile: { type: 'string' },
      runner: { type: 'string', default: 'open' },
      results: { type: 'string' },
      'no-triggers': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const profile = (values.profile ?? (values.quick || values.loop ? 'quick' : 'full')) as ProfileName;
  if (values.loop && profile !== 'quick') throw new UsageError('--loop runs the quick profile only');
  if (!['full', 'quick', 'test'].includes(profile)) throw new UsageError(`--profile must be full, quick or test, not ${values.profile}`);
  if (values.quick && values.profile && values.profile !== 'quick') throw new UsageError('--quick and --profile disagree');
  const runner = values.runner!;
  if (!['open', 'autocannon', 'k6'].includes(runner)) throw new UsageError(`--runner must be open, autocannon or k6, not ${runner}`);
  const scenarios = positionals.length ? positionals : values.loop ? [...LOOP_SCENARIOS] : [...SCENARIO_IDS];
  for (const s of scenarios) if (!(SCENARIO_IDS as readonly string[]).includes(s)) throw new UsageError(`unknown scenario ${s}; known: ${SCENARIO_IDS.join(', ')}`);
  // Quick runs never land in the trigger folder: they are indicative, and a trigger reads only qualifying runs anyway.
  const results = values.results ?? (profile === 'full' ? 'load/results' : `load/results/${profile}`);
  return { profile, runner, scenarios, results: path.resolve(REPO_ROOT, results), triggers: !values['no-triggers'], loop: values.loop!, help: values.help };
}

function hasK6(): boolean {
  try {
    execFileSync('k6', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Progress bars on a terminal; one line per step otherwise (CI logs). */
function progressFactory(): RunContext['progress'] {
  if (!process.stderr.isTTY) {
    return (label) => {
      process.stderr.write(`  ${label} ...\n`);
      return { update: () => {}, stop: () => {} };
    };
  }
  return (label) => {
    const bar = new cliProgress.SingleBar(
      { format: `  ${label.padEnd(28)} [{bar}] {value}/{total} requests, {errors} errors`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, errors) {
        if (!started) {
          bar.start(total, 0, { errors: 0 });
          started = true;
        }
        bar.update(done, { errors });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  };
}

/** The trigger folder and policy of the repository's archfit config (what `archfit triggers` reads), whatever folder this run wrote to. */
async function triggerSettings(): Promise<TriggerSettings> {
  try {
    return triggerSettingsFromConfig(await loadConfig(REPO_ROOT));
  } catch (err) {
    process.stderr.write(`(no usable archfit config: ${(err as Error).message}; reading triggers with the default paths and policy)\n`);
    return { root: REPO_ROOT, adrDir: 'adr', resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [], policy: DEFAULT_EVIDENCE_POLICY };
  }
}

/** The loop's architecture check: every rule but the revisit gate, which the loop decides itself. */
async function architectureFindings(): Promise<void> {
  try {
    const result = await runCheck({ root: REPO_ROOT, only: rules.map((r) => r.id).filter((id) => id !== 'revisit-required') });
    process.stdout.write(`\nArchitecture check (archfit check, findings):\n${formatCheckResult(result, 'text')}\n`);
  } catch (err) {
    process.stdout.write(`\nArchitecture check could not run: ${(err as Error).message}\n`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.runner === 'k6') {
    if (!hasK6()) {
      process.stderr.write('--runner k6 needs the k6 binary on PATH and there is none (npm cannot install it; see https://grafana.com/docs/k6/latest/set-up/install-k6/). The in-repo open-model runner (the default) needs nothing.\n');
      return 2;
    }
    const { runK6 } = await import('./k6-runner.js');
    return runK6(opts.scenarios, opts.profile, opts.results);
  }
  if (opts.runner === 'autocannon') {
    const { runAutocannon } = await import('./closed-runner.js');
    return runAutocannon(opts.scenarios, opts.profile, opts.results);
  }

  const interrupt = stopOnCtrlC();
  const settings = await triggerSettings();
  if (opts.loop) await architectureFindings();
  const admin = await resolveAdminServer();
  process.stderr.write(`PostgreSQL: ${admin.description}\n`);
  let failedThresholds = 0;
  try {
    for (const id of opts.scenarios) {
      if (interrupt.signal.aborted) break;
      process.stderr.write(`\n== ${id} (${opts.profile}) ==\n`);
      const run = await runScenario(id, {
        profile: opts.profile,
        signal: interrupt.signal,
        adminUrl: admin.url,
        resultsDir: opts.results,
        log: (m) => process.stderr.write(`${m}\n`),
        progress: progressFactory(),
        calibration: opts.profile === 'full' ? 'require' : 'record',
        calibrationTolerance: (settings.policy ?? DEFAULT_EVIDENCE_POLICY).maxCalibrationError,
      });
      const rel = (f: string) => path.relative(process.cwd(), f);
      const q = run.evidence.quality!;
      // What the triggers will make of this run, by the same policy they apply.
      const judged = judgeEvidence(run.evidence, { policy: settings.policy ?? DEFAULT_EVIDENCE_POLICY, currentHash: run.evidence.definitionHash, now: new Date() });
      const standing = judged.reasons.length
        ? ` (indicative only: it cannot arm or fire a trigger: ${judged.reasons.join('; ')})`
        : judged.lowerBound
          ? ` (qualifies only as a lower bound on ${judged.lowerBound.metrics.join(', ')}: the generator fell behind above the highest passing step)`
          : '';
      process.stdout.write(`${id}: evidence ${rel(run.file)}${standing}\n  report ${rel(run.reports.html)} (and .md)\n`);
      process.stdout.write(`  calibration error ${q.calibration ? `${(q.calibration.error * 100).toFixed(1)} %` : 'none'}, load average ${q.loadAverage.min}-${q.loadAverage.max}, generator CPU max ${q.generator.cpuShareMax ?? '?'} of a core, lateness p99 max ${q.generator.lateP99MaxMs} ms${q.generator.behindSteps.length ? `, fell behind in: ${q.generator.behindSteps.join(', ')}` : ''}\n`);
      for (const t of run.evidence.thresholds) {
        process.stdout.write(`  ${(opts.loop ? `finding ${t.verdict}` : t.verdict).padEnd(7)} ${t.id}: ${t.metric} ${t.actual ?? 'missing'} (needs ${t.comparator} ${t.value} ${t.unit})\n`);
        if (t.verdict !== 'pass') failedThresholds++;
      }
    }
  } catch (err) {
    if (err instanceof ScenarioError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof CalibrationError) {
      process.stderr.write(`${err.message}\n`);
      return 4;
    }
    throw err;
  } finally {
    interrupt.release();
    await admin.stop();
  }
  let unanswered = 0;
  if (opts.triggers || opts.loop) {
    const report = await evaluateTriggers(settings);
    process.stdout.write(`\nRevisit triggers (archfit triggers, from ${settings.resultsDir}/):\n${formatTriggerTable(report.triggers)}`);
    const findings = gateFindings(report, settings.policy ?? DEFAULT_EVIDENCE_POLICY);
    for (const f of findings) process.stdout.write(`  ${f.kind === 'unanswered' ? 'GATE' : 'finding'}: ${f.message}\n`);
    unanswered = loopExitCode(findings);
  }
  // The loop measures; only a firing nobody answered is a gate. A full run also judges its thresholds.
  if (opts.loop) return unanswered > 0 ? 1 : 0;
  return failedThresholds > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('load/runner/main.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`archfit load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}
