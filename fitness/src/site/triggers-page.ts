import { revisitTarget, type RevisitRef } from '../adr/schema.js';
import { compare, TRIGGER_STATUSES, unansweredFiredTriggers, type TriggerResult } from '../triggers/index.js';
import type { SiteInputs } from './inputs.js';
import { isRecord } from './literal.js';
import { decisionHref, decisionLabel, evidenceAnchor, PAGES } from './paths.js';

/** One evidence file's reading of a trigger's metric: a point of the history chart. */
export interface HistoryPoint {
  file: string;
  /** Link to the run on the evidence page. */
  href: string;
  /** ISO finish time; the file-name stamp when the file could not be read. */
  at: string;
  value: number | null;
  /** `value comparator threshold` holds; null when there is no value. */
  fires: boolean | null;
  /** Why there is no value, or what qualifies the value (interrupted run, profile). */
  note: string;
}

export interface RevisitLink {
  number: number;
  label: string;
  title: string;
  status: string;
  href: string;
}

export interface TriggerView {
  id: string;
  anchor: string;
  adr: number;
  adrLabel: string;
  adrHref: string | undefined;
  status: string;
  description: string;
  metric: string;
  comparator: string;
  threshold: number;
  unit: string;
  sustain: string | undefined;
  value: number | null;
  /** `scenario dau` or `repository team-size`. */
  source: string;
  evidence: string | null;
  /** Link to the deciding run on the evidence page, when the evidence is a file. */
  evidenceHref: string | undefined;
  reason: string;
  /** Fields a newer library adds to a trigger result (evidence quality, …), shown as they are. */
  extra: Array<{ key: string; value: string }>;
  /** Oldest first; empty for repository measurements (taken now, no history). */
  history: HistoryPoint[];
  /** For a fired trigger: the later records that revisit its ADR, and whether archfit counts it answered. */
  revisit?: { records: RevisitLink[]; answered: boolean; notes: string[] };
  /** Newer runs that may not decide the trigger (quick, uncalibrated, …), when the library reports them. */
  indicative: Array<{ file: string; href: string; value: number | null; reasons: string[] }>;
}

export interface TriggersPage {
  triggers: TriggerView[];
  counts: Array<{ status: string; count: number }>;
  problems: string[];
  empty?: string;
}

const KNOWN_RESULT_KEYS = new Set(['id', 'adr', 'adrFile', 'status', 'metric', 'comparator', 'value', 'threshold', 'unit', 'evidence', 'reason', 'indicative', 'answeredBy', 'revisitNotes']);

/** Trigger statuses in the library's order, then any a newer library adds, alphabetically. */
export function orderedStatuses(present: Iterable<string>): string[] {
  const known = TRIGGER_STATUSES as readonly string[];
  const extra = [...new Set(present)].filter((s) => !known.includes(s)).sort();
  return [...known, ...extra];
}

/** Records after `adr` whose `revisits` names it (plainly or for this trigger). */
function revisitsOf(inputs: SiteInputs, adr: number, triggerId: string): RevisitLink[] {
  const out: RevisitLink[] = [];
  for (const r of inputs.adr.collection?.records ?? []) {
    if (r.number === undefined || r.number <= adr || !isRecord(r.data)) continue;
    const refs = r.data.revisits;
    if (!Array.isArray(refs)) continue;
    const hit = refs.some((ref: unknown) => {
      if (typeof ref !== 'number' && !isRecord(ref)) return false;
      if (revisitTarget(ref as RevisitRef) !== adr) return false;
      return typeof ref === 'number' || ref.trigger === undefined || ref.trigger === triggerId;
    });
    if (hit) {
      out.push({
        number: r.number,
        label: decisionLabel(r.number),
        title: r.title ?? r.fileName,
        status: typeof r.data.status === 'string' ? r.data.status : '(none)',
        href: decisionHref(r.fileName),
      });
    }
  }
  return out.sort((a, b) => a.number - b.number);
}

function historyOf(inputs: SiteInputs, result: TriggerResult, scenario: string): HistoryPoint[] {
  return inputs.evidence
    .filter((e) => e.scenario === scenario)
    .map((e): HistoryPoint => {
      const href = `${PAGES.evidence}#${evidenceAnchor(e.file)}`;
      if (!e.read.ok) return { file: e.file, href, at: e.stamp, value: null, fires: null, note: `unreadable: ${e.read.reason}` };
      const ev = e.read.evidence;
      const v = ev.metrics[result.metric];
      const notes = [`profile ${ev.profile}`, ...(ev.interrupted ? ['interrupted run'] : [])];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return { file: e.file, href, at: ev.finishedAt, value: null, fires: null, note: [`no metric ${result.metric}`, ...notes].join('; ') };
      }
      return { file: e.file, href, at: ev.finishedAt, value: v, fires: compare(v, result.comparator, result.threshold), note: notes.join('; ') };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.file.localeCompare(b.file));
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The triggers dashboard: every trigger's state, the evidence that decided it, and its metric's history. */
export function buildTriggersPage(inputs: SiteInputs): TriggersPage {
  const report = inputs.triggers;
  const results = report?.triggers ?? [];
  const declared = report?.declared ?? [];
  const unanswered = new Set(report ? unansweredFiredTriggers(results, declared, report.records).map((u) => `${u.result.adr}:${u.result.id}`) : []);
  const records = inputs.adr.collection?.records ?? [];
  const views = results.map((r): TriggerView => {
    const d = declared.find((x) => x.trigger.id === r.id && x.adr === r.adr);
    // Sources are `{ scenario }`, `{ repository }` or whatever kind a newer library adds: show `kind value`.
    const source = d ? Object.entries(d.trigger.source as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', ') : 'unknown';
    const scenario = d && 'scenario' in d.trigger.source ? d.trigger.source.scenario : undefined;
    const adrRecord = records.find((x) => x.number === r.adr);
    const evidenceIsFile = r.evidence !== null && !r.evidence.startsWith('repository:');
    const raw = r as unknown as Record<string, unknown>;
    const indicative = (Array.isArray(raw.indicative) ? raw.indicative : []).filter(isRecord).map((x) => ({
      file: String(x.file),
      href: `${PAGES.evidence}#${evidenceAnchor(String(x.file))}`,
      value: typeof x.value === 'number' ? x.value : null,
      reasons: Array.isArray(x.reasons) ? x.reasons.map(String) : [],
    }));
    const extra = Object.keys(r)
      .filter((k) => !KNOWN_RESULT_KEYS.has(k))
      .sort()
      .map((key) => ({ key, value: show(raw[key]) }));
    const view: TriggerView = {
      id: r.id,
      anchor: `trigger-${r.id}`,
      adr: r.adr,
      adrLabel: decisionLabel(r.adr),
      adrHref: adrRecord ? decisionHref(adrRecord.fileName) : undefined,
      status: r.status,
      description: d?.trigger.description ?? '',
      metric: r.metric,
      comparator: r.comparator,
      threshold: r.threshold,
      unit: r.unit,
      sustain: d?.trigger.sustain,
      value: r.value,
      source,
      evidence: r.evidence,
      evidenceHref: evidenceIsFile ? `${PAGES.evidence}#${evidenceAnchor(r.evidence!)}` : undefined,
      reason: r.reason,
      extra,
      history: scenario ? historyOf(inputs, r, scenario) : [],
      indicative,
    };
    if (r.status === 'fired') {
      // A library that says which record answers the firing (answeredBy) is believed over the older rule.
      const answeredBy = isRecord(raw.answeredBy) && typeof raw.answeredBy.adr === 'number' ? raw.answeredBy.adr : undefined;
      const notes = Array.isArray(raw.revisitNotes) ? raw.revisitNotes.filter((n): n is string => typeof n === 'string') : [];
      view.revisit = { records: revisitsOf(inputs, r.adr, r.id), answered: answeredBy !== undefined || ('answeredBy' in raw ? false : !unanswered.has(`${r.adr}:${r.id}`)), notes };
    }
    return view;
  });
  views.sort((a, b) => a.adr - b.adr || a.id.localeCompare(b.id));
  const counts = orderedStatuses(views.map((v) => v.status)).map((status) => ({ status, count: views.filter((v) => v.status === status).length }));
  const empty = views.length
    ? undefined
    : `No revisit triggers declared. Add \`revisit-triggers\` to a record's front matter in ${inputs.adr.dir}/ (metric, comparator, threshold, source) and run load scenarios to produce evidence in ${inputs.resultsDir}/.`;
  return { triggers: views, counts, problems: report?.problems ?? [], ...(empty ? { empty } : {}) };
}
