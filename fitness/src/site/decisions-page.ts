import { stringify } from 'yaml';
import { summarize } from '../adr/views.js';
import type { AdrRecord } from '../adr/parse.js';
import type { TriggerResult } from '../triggers/index.js';
import type { EvidenceFile, SiteInputs } from './inputs.js';
import { isRecord } from './literal.js';
import { decisionHref, decisionLabel, moduleHref, PAGES, triggerAnchor } from './paths.js';

/** One link between records as front matter writes it (`supersedes: [3]`, `amends: [{ adr: 4 }]`). */
export interface DecisionRelation {
  kind: string;
  targets: number[];
}

export interface ConfirmationView {
  ref: string;
  kind: 'rule' | 'threshold' | 'other';
  /** pass | fail | off | missing | no evidence | not evaluated */
  result: string;
  detail: string;
}

export interface DecisionTriggerView {
  id: string;
  status: string;
  summary: string;
  href: string;
}

export interface DecisionView {
  number: number | undefined;
  label: string;
  fileName: string;
  file: string;
  href: string;
  title: string;
  status: string;
  date: string;
  relations: DecisionRelation[];
  modules: Array<{ name: string; href: string | undefined }>;
  confirmations: ConfirmationView[];
  triggers: DecisionTriggerView[];
  /** Success and rollback criteria with their current status (met, not-met, no-evidence, invalid). */
  criteria: Array<{ kind: string; id: string; status: string; detail: string }>;
  /** Front matter keys not shown above (decision-makers, success criteria, …) as YAML text. */
  otherFrontMatter: Array<{ key: string; yaml: string }>;
  /** The Markdown body (after the front matter). */
  body: string;
}

export interface DecisionEdge {
  from: number;
  to: number;
  kind: string;
}

export interface DecisionsPage {
  dir: string;
  records: DecisionView[];
  /** Newest first by date, then by number. */
  timeline: DecisionView[];
  edges: DecisionEdge[];
  statusCounts: Array<{ status: string; count: number }>;
  /** Why there are no records, when there are none. */
  empty?: string;
}

/** Keys the record view shows in its own sections; everything else is listed as front matter. */
const SHOWN = new Set(['status', 'date', 'modules', 'confirmation', 'revisit-triggers', 'success-criteria', 'rollback-criteria']);

/** A front matter value is a relation when it is a list of ADR numbers or `{ adr: n, … }` objects. */
function relationTargets(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: number[] = [];
  for (const v of value) {
    if (typeof v === 'number' && Number.isInteger(v)) out.push(v);
    else if (isRecord(v) && typeof v.adr === 'number' && Number.isInteger(v.adr)) out.push(v.adr);
    else return undefined;
  }
  return out;
}

/** The newest complete, readable evidence of a scenario. */
function newestEvidence(evidence: readonly EvidenceFile[], scenario: string): EvidenceFile | undefined {
  return [...evidence]
    .filter((e) => e.scenario === scenario && e.read.ok && !e.read.evidence.interrupted)
    .sort((a, b) => b.stamp.localeCompare(a.stamp))[0];
}

/** The current result of one confirmation: a rule from the check, or `scenario:threshold` from the newest evidence. */
export function confirmationResult(ref: string, inputs: Pick<SiteInputs, 'check' | 'evidence'>): ConfirmationView {
  const rule = inputs.check?.rules.find((r) => r.id === ref);
  if (rule) {
    if (!rule.enabled) return { ref, kind: 'rule', result: 'off', detail: 'the rule is disabled in the config' };
    const fresh = inputs.check!.violations.filter((v) => v.rule === ref).length;
    const known = inputs.check!.baselined.filter((v) => v.rule === ref).length;
    return { ref, kind: 'rule', result: fresh === 0 ? 'pass' : 'fail', detail: `${fresh} new violation(s)${known ? `, ${known} in the baseline` : ''}` };
  }
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*):([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(ref);
  if (m) {
    const ev = newestEvidence(inputs.evidence, m[1]!);
    if (!ev || !ev.read.ok) return { ref, kind: 'threshold', result: 'no evidence', detail: `no complete evidence for scenario ${m[1]}` };
    const t = ev.read.evidence.thresholds.find((x) => x.id === m[2]);
    if (!t) return { ref, kind: 'threshold', result: 'missing', detail: `${ev.file} has no threshold ${m[2]}` };
    return { ref, kind: 'threshold', result: t.verdict, detail: `${t.metric} ${t.actual ?? 'missing'} (${t.comparator} ${t.value} ${t.unit}) in ${ev.file}` };
  }
  return { ref, kind: 'other', result: 'not evaluated', detail: inputs.check ? 'neither a rule id nor scenario:threshold' : 'no archfit config: rules were not run' };
}

/**
 * Records written before front matter (MADR 2's `- Status: accepted` list, Nygard's `## Status`
 * section, log4brains' dated file names) still say their status and date: read them from the
 * body and the file name so the timeline is not a column of "(none)".
 */
function bodyField(body: string, name: string): string | undefined {
  const item = new RegExp(`^\\s*[-*]\\s*${name}:\\s*(.+?)\\s*$`, 'im').exec(body);
  if (item) return item[1];
  return new RegExp(`^#{2,3}\\s*${name}\\s*\\n+\\s*([^\\n#]+)`, 'im').exec(body)?.[1]?.trim();
}

function fallbackStatus(body: string): string | undefined {
  const word = /^[A-Za-z]+/.exec(bodyField(body, 'Status') ?? '')?.[0];
  return word?.toLowerCase();
}

function fallbackDate(body: string, fileName: string): string | undefined {
  const fromBody = /\d{4}-\d{2}-\d{2}/.exec(bodyField(body, 'Date') ?? '')?.[0];
  if (fromBody) return fromBody;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})-/.exec(fileName);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

function decisionView(record: AdrRecord, inputs: SiteInputs, triggers: readonly TriggerResult[], moduleNames: ReadonlySet<string>): DecisionView {
  const s = summarize(record);
  const data = isRecord(record.data) ? record.data : {};
  const relations: DecisionRelation[] = [];
  const other: Array<{ key: string; yaml: string }> = [];
  for (const key of Object.keys(data).sort()) {
    if (SHOWN.has(key)) continue;
    const targets = relationTargets(data[key]);
    if (targets) relations.push({ kind: key, targets });
    else other.push({ key, yaml: stringify(data[key]).trimEnd() });
  }
  const modules = Array.isArray(data.modules) ? data.modules.filter((m): m is string => typeof m === 'string') : [];
  const confirmations = Array.isArray(data.confirmation) ? data.confirmation.filter((c): c is string => typeof c === 'string') : [];
  const own = triggers.filter((t) => record.number !== undefined && t.adr === record.number);
  return {
    number: record.number,
    // A record outside the NNNN-slug naming has no number to show; its title and file name say which it is.
    label: record.number === undefined ? '' : decisionLabel(record.number),
    fileName: record.fileName,
    file: record.file,
    href: decisionHref(record.fileName),
    title: s.title,
    status: s.status === '(none)' ? (fallbackStatus(record.body) ?? s.status) : s.status,
    date: s.date || (fallbackDate(record.body, record.fileName) ?? ''),
    relations,
    modules: modules.map((name) => ({ name, href: moduleNames.has(name) ? moduleHref(name) : undefined })),
    confirmations: confirmations.map((c) => confirmationResult(c, inputs)),
    triggers: s.triggers.map((t) => {
      const result = own.find((r) => r.id === t.id);
      return {
        id: t.id,
        status: result?.status ?? 'invalid',
        summary: result ? `${result.metric} ${result.value ?? '?'} ${result.comparator} ${result.threshold} ${result.unit}` : 'not evaluated (malformed trigger)',
        href: `${PAGES.triggers}#${triggerAnchor(t.id)}`,
      };
    }),
    criteria: [
      ...inputs.criteria.results
        .filter((c) => c.adr === record.number)
        .map((c) => ({ kind: c.kind, id: c.id, status: c.status, detail: `${c.metric} ${c.comparator} ${c.threshold} ${c.unit}: ${c.reason}${c.evidence ? ` (${c.evidence})` : ''}` })),
      ...inputs.criteria.malformed.filter((c) => c.adr === record.number).map((c) => ({ kind: c.kind, id: c.id, status: 'invalid', detail: c.reason })),
    ],
    otherFrontMatter: other,
    body: record.body,
  };
}

/** The decisions section: every record with its links, confirmations and triggers, and the timeline. */
export function buildDecisionsPage(inputs: SiteInputs): DecisionsPage {
  const collection = inputs.adr.collection;
  const records = collection?.records ?? [];
  const moduleNames = new Set(inputs.modules.map((m) => m.name));
  const triggers = inputs.triggers?.triggers ?? [];
  const views = records.map((r) => decisionView(r, inputs, triggers, moduleNames)).sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9) || a.fileName.localeCompare(b.fileName));
  const known = new Set(views.map((v) => v.number));
  const edges: DecisionEdge[] = [];
  for (const v of views) {
    if (v.number === undefined) continue;
    // Inverse links (`superseded-by`, `revisited-by`, …) repeat a forward link; draw each once.
    for (const rel of v.relations.filter((r) => !r.kind.endsWith('-by'))) {
      for (const to of rel.targets) if (known.has(to)) edges.push({ from: v.number, to, kind: rel.kind });
    }
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to || a.kind.localeCompare(b.kind));
  const counts = new Map<string, number>();
  for (const v of views) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
  const statusCounts = [...counts.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status));
  const timeline = [...views].sort((a, b) => b.date.localeCompare(a.date) || (b.number ?? 0) - (a.number ?? 0));
  const empty = views.length
    ? undefined
    : inputs.adr.problem
      ? `No decision records: ${/ENOENT/.test(inputs.adr.problem) ? `${inputs.adr.dir}/ does not exist` : inputs.adr.problem}. Write one with \`archfit adr new "<title>"\` (records live in ${inputs.adr.dir}/, \`adr.dir\` in the config).`
      : `No decision records in ${inputs.adr.dir}/ yet. Write one with \`archfit adr new "<title>"\`.`;
  return { dir: inputs.adr.dir, records: views, timeline, edges, statusCounts, ...(empty ? { empty } : {}) };
}
