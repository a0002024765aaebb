import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EVIDENCE_POLICY, evaluateTriggers, formatTriggerTable, loadConfig, triggerSettingsFromConfig, type Evidence, type TriggerSettings } from 'archfit';
import { ScenarioError } from '../scenarios/load-scenario.js';
import type { ProfileName } from '../scenarios/schema.js';
import { calibrate, describeCalibration, type CalibrationResult } from './calibrate.js';
import { qualityOf, sampleLoadAverage } from './quality.js';
import { buildEvidence, gitCommit, machineFacts, RUNNER_VERSION, writeEvidence } from './evidence.js';
import { loadMixData, readDefinitionFile, resolveTarget } from './http-mix-definition.js';
import { runHttpMix } from './http-mix.js';
import { buildPlan, generateK6Script, readFixtureFile } from './k6-generate.js';
import { importK6Summary } from './k6-import.js';
import { stopOnCtrlC } from './interrupt.js';
import { allowNamedHost } from './loopback.js';
import { writeReports } from './report.js';

export const USAGE = `usage: archfit load <definition.json> [--target <url>] [--allow-host <host>] [--profile full|quick|test] [--results <dir>] [--no-triggers]
       archfit load --k6 <definition.json> [--out <script.js>] [--profile ...] [--fixture <fixture.json>] [--strategy s] [--mode m]
       archfit load --import <k6-summary.json> --definition <definition.json> [--profile ...] [--results <dir>]
  <definition.json>  an http-mix definition (any app): requests, fills, steps, SLO, thresholds, metrics
  --target       the app's base URL (default: the definition's baseUrl); loopback unless --allow-host names its host
  --allow-host   send load to this non-loopback host: you name it here, a definition never can
  --k6           write the k6 script of a definition (all four kinds) instead of running it
  --import       turn a k6 summary (--summary-export or the generated handleSummary) into evidence, runner k6
  exit codes: 0 every threshold held, 1 a threshold failed or is missing, 2 bad input, 4 a full run whose calibration failed (no evidence written)`;

class UsageError extends Error {}

/**
 * As the in-repo runner does: the instrument first measures a server of known truth, here and
 * now. A full-profile run must pass (three tries), or it writes nothing and exits 4; quick and
 * test runs record the result, and the trigger policy treats them as indicative anyway.
 */
async function calibrateFor(profile: ProfileName, tolerance: number): Promise<CalibrationResult> {
  let best: CalibrationResult | undefined;
  for (let attempt = 1; attempt <= (profile === 'full' ? 3 : 1); attempt++) {
    const c = await calibrate(tolerance);
    process.stderr.write(`archfit load: ${describeCalibration(c)}\n`);
    if (!best || c.error < best.error) best = c;
    if (c.passed) break;
  }
  return best!;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      'allow-host': { type: 'string' },
      profile: { type: 'string' },
      quick: { type: 'boolean', default: false },
      results: { type: 'string' },
      'no-triggers': { type: 'boolean', default: false },
      k6: { type: 'boolean', default: false },
      out: { type: 'string' },
      fixture: { type: 'string' },
      strategy: { type: 'string' },
      mode: { type: 'string' },
      import: { type: 'string' },
      definition: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const profile = (values.profile ?? (values.quick ? 'quick' : 'full')) as ProfileName;
  if (!['full', 'quick', 'test'].includes(profile)) throw new UsageError(`--profile must be full, quick or test, not ${values.profile}`);
  if (!values.help && !values.import && positionals.length !== 1) throw new UsageError(`name exactly one definition file, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  if (values.import && !values.definition) throw new UsageError('--import needs --definition <definition.json>: the SLO, thresholds and metric names come from it');
  return { values, positionals, profile, root: path.resolve(values.root ?? process.cwd()) };
}

/** Where evidence goes and how triggers are read: the project's archfit config, if it has one. */
async function projectSettings(root: string, results?: string): Promise<{ resultsDir: string; triggers?: TriggerSettings; note?: string }> {
  try {
    const config = await loadConfig(root);
    const settings = triggerSettingsFromConfig(config);
    const resultsDir = results ? path.resolve(results) : path.resolve(settings.root, settings.resultsDir);
    return { resultsDir, triggers: { ...settings, resultsDir: path.relative(settings.root, resultsDir) } };
  } catch (err) {
    return { resultsDir: path.resolve(root, results ?? 'load/results'), note: `no usable archfit config in ${root} (${(err as Error).message.split('\n')[0]}): evidence goes to ${path.relative(process.cwd(), path.resolve(root, results ?? 'load/results')) || '.'}, no trigger table` };
  }
}

async function report(evidence: Evidence, resultsDir: string, root: string): Promise<number> {
  const file = await writeEvidence(resultsDir, evidence);
  const shown = path.relative(root, file).split(path.sep).join('/');
  const reports = await writeReports(evidence, file, shown.startsWith('..') ? file : shown);
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  process.stdout.write(`${evidence.scenario}: evidence ${rel(file)} (runner ${evidence.runner.name})\n  report ${rel(reports.html)} (and .md)\n`);
  let failed = 0;
  for (const t of evidence.thresholds) {
    process.stdout.write(`  ${t.verdict.padEnd(7)} ${t.id}: ${t.metric} ${t.actual ?? 'missing'} (needs ${t.comparator} ${t.value} ${t.unit})\n`);
    if (t.verdict !== 'pass') failed++;
  }
  return failed;
}

async function triggerTable(settings: TriggerSettings | undefined): Promise<void> {
  if (!settings) return;
  const r = await evaluateTriggers(settings);
  if (!r.triggers.length) return;
  process.stdout.write(`\nRevisit triggers (archfit triggers):\n${formatTriggerTable(r.triggers)}`);
  for (const p of r.problems) process.stderr.write(`  ${p}\n`);
}

/** `archfit load` for any project: run an http-mix definition, write a k6 script, or import a k6 summary. */
export async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(argv);
  } catch (err) {
    process.stderr.write(`archfit load: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, profile, root } = opts;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (values.import) {
      const definition = await readDefinitionFile(path.resolve(values.definition!));
      const project = await projectSettings(root, values.results);
      if (project.note) process.stderr.write(`${project.note}\n`);
      const evidence = await importK6Summary({ summaryFile: path.resolve(values.import), definition, ...(values.profile ? { profile } : {}), ...(values.strategy ? { strategy: values.strategy } : {}), ...(values.mode ? { mode: values.mode } : {}), root });
      const failed = await report(evidence, project.resultsDir, root);
      if (!values['no-triggers']) await triggerTable(project.triggers);
      return failed ? 1 : 0;
    }
    const definition = await readDefinitionFile(path.resolve(opts.positionals[0]!));
    if (values.k6) {
      const fixture = values.fixture ? readFixtureFile(path.resolve(values.fixture)) : undefined;
      const plan = await buildPlan(definition, { profile, ...(fixture ? { fixture } : {}), ...(values.strategy ? { strategy: values.strategy } : {}), ...(values.mode ? { mode: values.mode } : {}), ...(values.target ? { baseUrl: values.target } : {}) });
      const script = await generateK6Script(plan, definition.scenario.thresholds);
      const out = path.resolve(values.out ?? `${definition.scenario.id}.k6.js`);
      await writeFile(out, script);
      process.stdout.write(`k6 script for ${definition.scenario.id} (${profile}): ${path.relative(process.cwd(), out)}\n  ${plan.steps.length} k6 scenarios, ${Object.keys(plan.thresholds).length} thresholds; run it with k6 run, then archfit load --import <summary> --definition ${path.relative(process.cwd(), definition.file)}\n`);
      return 0;
    }
    const def = definition.scenario;
    if (def.kind !== 'http-mix') throw new ScenarioError(`${definition.file} is a ${def.kind} scenario: it runs against the reference app, from an archfit repository checkout (\`archfit load ${def.id}\`). Any other app: an http-mix definition.`);
    const data = await loadMixData(def, definition.file);
    const target = resolveTarget(def, { ...(values.target ? { target: values.target } : {}), ...(values['allow-host'] ? { allowHost: values['allow-host'] } : {}) });
    if (target.remote) {
      allowNamedHost(new URL(target.url).hostname);
      process.stderr.write(`archfit load: sending load to ${target.url}, a non-loopback host you named with --allow-host\n`);
    }
    const project = await projectSettings(root, values.results);
    if (project.note) process.stderr.write(`${project.note}\n`);
    const interrupt = stopOnCtrlC();
    const calibration = await calibrateFor(profile, (project.triggers?.policy ?? DEFAULT_EVIDENCE_POLICY).maxCalibrationError);
    if (!calibration.passed && profile === 'full') {
      interrupt.release();
      process.stderr.write(`archfit load: not measuring, no evidence written: this machine cannot measure within ${calibration.tolerance * 100} % right now (load average ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}). Run again when it is quieter, or use --profile quick for indicative figures.\n`);
      return 4;
    }
    const startedAt = new Date();
    const machine = machineFacts();
    const load = sampleLoadAverage();
    let outcome;
    try {
      outcome = await runHttpMix(def, data, target.url, {
        profile,
        signal: interrupt.signal,
        log: (m) => process.stderr.write(`${m}\n`),
        progress: (label) => {
          process.stderr.write(`  ${label} ...\n`);
          return { update: () => {}, stop: () => {} };
        },
      });
    } finally {
      interrupt.release();
    }
    const loadSamples = load.stop();
    if (!calibration.passed) outcome.notes.push(`Calibration was over the tolerance (${describeCalibration(calibration)}): these figures are indicative only and do not qualify for the triggers.`);
    const evidence = buildEvidence({
      scenario: def.id,
      definitionHash: definition.hash,
      profile,
      runner: { name: 'archfit-open-model', version: RUNNER_VERSION },
      startedAt,
      finishedAt: new Date(),
      interrupted: outcome.interrupted,
      commit: await gitCommit(root),
      machine,
      target: { url: outcome.targetUrl, appEnv: {} },
      steps: outcome.steps,
      database: {},
      metrics: outcome.metrics,
      units: outcome.units,
      thresholds: def.thresholds,
      notes: outcome.notes,
      quality: qualityOf(calibration, loadSamples, outcome.steps),
    });
    const failed = await report(evidence, project.resultsDir, root);
    if (!values['no-triggers']) await triggerTable(project.triggers);
    return failed ? 1 : 0;
  } catch (err) {
    if (err instanceof ScenarioError) {
      process.stderr.write(`archfit load: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
