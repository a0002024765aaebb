import type { ThresholdVerdict } from '../triggers/index.js';
import type { SiteInputs } from './inputs.js';
import { isRecord } from './literal.js';
import { evidenceAnchor, evidenceCopy } from './paths.js';

/** Top-level evidence fields every version has; any other field is about the run's quality and is shown as is. */
const CORE = new Set(['schemaVersion', 'scenario', 'definitionHash', 'profile', 'runner', 'startedAt', 'finishedAt', 'interrupted', 'commit', 'machine', 'target', 'steps', 'database', 'metrics', 'units', 'thresholds', 'notes']);
const MACHINE_CORE = new Set(['platform', 'arch', 'cpus', 'cpuModel', 'memoryBytes', 'node', 'postgres', 'loadAverage']);

export interface RunView {
  file: string;
  anchor: string;
  /** The copy of the JSON inside the site. */
  jsonHref: string;
  /** Copies of the per-run reports (HTML, Markdown). */
  reports: Array<{ href: string; kind: string }>;
  ok: boolean;
  reason?: string;
  finishedAt: string;
  /** What tells how far to trust the figures: profile, interruption, load, commit, calibration and whatever else the run recorded. */
  quality: Array<{ key: string; value: string }>;
  metrics: Array<{ name: string; value: number; unit: string }>;
  thresholds: ThresholdVerdict[];
  notes: string[];
}

export interface ScenarioRuns {
  scenario: string;
  /** The scenario definition file, when the scenarios folder has one. */
  definition: string | undefined;
  runs: RunView[];
}

export interface EvidencePage {
  resultsDir: string;
  scenarios: ScenarioRuns[];
  /** Repo-relative files to copy into the site, to site-relative paths. */
  copies: Array<{ from: string; to: string }>;
  empty?: string;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 1000) / 10} %` : '?');

/**
 * The run's own account of its quality (evidence schema 2: calibration against a known stall
 * server, load sampled through the run, the generator's CPU and lateness, error rates); fields
 * it does not know are listed as they are, and a run without it says so.
 */
function qualityFields(q: unknown): Array<{ key: string; value: string }> {
  if (q === undefined) return [{ key: 'calibration', value: 'not recorded (older evidence format)' }];
  if (!isRecord(q)) return [{ key: 'quality', value: show(q) }];
  const out: Array<{ key: string; value: string }> = [];
  for (const key of Object.keys(q).sort()) {
    const v = q[key];
    if (key === 'calibration' && isRecord(v)) out.push({ key: 'calibration', value: `error ${pct(v.error)} (tolerance ${pct(v.tolerance)}): ${v.passed === true ? 'passed' : 'FAILED'}` });
    else if (key === 'loadAverage' && isRecord(v)) out.push({ key: 'load average through the run', value: `${show(v.min)}–${show(v.max)} (${Array.isArray(v.samples) ? v.samples.length : 0} samples)` });
    else if (key === 'generator' && isRecord(v)) out.push({ key: 'load generator', value: `CPU up to ${v.cpuShareMax === null ? 'not measured' : pct(v.cpuShareMax)} of a core, lateness p99 up to ${show(v.lateP99MaxMs)} ms${Array.isArray(v.behindSteps) && v.behindSteps.length ? `; fell behind in ${v.behindSteps.length} step(s)` : ''}` });
    else if (key === 'errorRateMax') out.push({ key: 'highest error rate of a step', value: pct(v) });
    else out.push({ key: `quality.${key}`, value: show(v) });
  }
  return out;
}

/** The load evidence dashboard: every run per scenario, newest first, its quality beside its figures. */
export function buildEvidencePage(inputs: SiteInputs): EvidencePage {
  const copies: EvidencePage['copies'] = [];
  const names = [...new Set([...inputs.evidence.map((e) => e.scenario)])].sort();
  const scenarios = names.map((scenario): ScenarioRuns => {
    const runs = inputs.evidence
      .filter((e) => e.scenario === scenario)
      .sort((a, b) => b.stamp.localeCompare(a.stamp))
      .map((e): RunView => {
        const jsonHref = evidenceCopy(e.file);
        copies.push({ from: e.file, to: jsonHref });
        const reports = e.reports.map((r) => {
          copies.push({ from: r, to: evidenceCopy(r) });
          return { href: evidenceCopy(r), kind: r.endsWith('.html') ? 'HTML report' : 'Markdown report' };
        });
        const base = { file: e.file, anchor: evidenceAnchor(e.file), jsonHref, reports };
        if (!e.read.ok) return { ...base, ok: false, reason: e.read.reason, finishedAt: e.stamp, quality: [], metrics: [], thresholds: [], notes: [] };
        const ev = e.read.evidence;
        const raw = ev as unknown as Record<string, unknown>;
        const machine = ev.machine as unknown as Record<string, unknown>;
        const quality = [
          { key: 'profile', value: ev.profile },
          { key: 'interrupted', value: ev.interrupted ? 'yes: figures are partial' : 'no' },
          { key: 'load average at start', value: ev.machine.loadAverage ? ev.machine.loadAverage.join(' / ') : 'not recorded' },
          { key: 'machine', value: `${ev.machine.cpus} x ${ev.machine.cpuModel}, Node ${ev.machine.node}${ev.machine.postgres ? `, PostgreSQL ${ev.machine.postgres}` : ''}` },
          { key: 'runner', value: `${ev.runner.name} ${ev.runner.version}` },
          { key: 'commit', value: ev.commit ? `${ev.commit.sha.slice(0, 12)}${ev.commit.dirty ? ' (uncommitted changes)' : ''}` : 'unknown' },
          { key: 'definition', value: ev.definitionHash },
          ...Object.keys(machine).filter((k) => !MACHINE_CORE.has(k)).sort().map((k) => ({ key: `machine.${k}`, value: show(machine[k]) })),
          ...qualityFields(raw.quality),
          ...Object.keys(raw).filter((k) => !CORE.has(k) && k !== 'quality').sort().map((k) => ({ key: k, value: show(raw[k]) })),
        ];
        return {
          ...base,
          ok: true,
          finishedAt: ev.finishedAt,
          quality,
          metrics: Object.keys(ev.metrics).sort().map((name) => ({ name, value: ev.metrics[name]!, unit: ev.units[name] ?? '' })),
          thresholds: [...ev.thresholds].sort((a, b) => a.id.localeCompare(b.id)),
          notes: ev.notes,
        };
      });
    return { scenario, definition: inputs.scenarios.get(scenario)?.file, runs };
  });
  copies.sort((a, b) => a.to.localeCompare(b.to));
  const empty = scenarios.length ? undefined : `No load evidence in ${inputs.resultsDir}/. Run a load scenario (\`archfit load <scenario>\` or your runner) to write \`<scenario>-<timestamp>.json\` evidence there; triggers read it and this page lists each run.`;
  return { resultsDir: inputs.resultsDir, scenarios, copies, ...(empty ? { empty } : {}) };
}
