import { existsSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { loadAdrCollection } from './collection.js';
import { ADR_DATE_FILE_PATTERN, AdrReadError, formatNumber, slugify, type AdrRecord } from './parse.js';
import { knownRuleIds, loadScenarioRefs, ScenarioReadError, type ScenarioRefs } from './references.js';
import { headingsOf, loadRecordTemplate, sectionKey } from './template.js';
import {
  ADR_STATUSES,
  AdrFrontMatterSchema,
  OBSERVED_MEASUREMENTS,
  REPOSITORY_MEASUREMENTS,
  revisitTarget,
  type AdrFrontMatter,
  type Criterion,
  type ObservedMeasurement,
  type RepositoryMeasurement,
  type RevisitRef,
} from './schema.js';

/** One problem in one record: where it is, what is wrong, and what to do about it. */
export interface AdrFinding {
  /** Stable id of the check, e.g. `duplicate-number`. */
  code: string;
  /** Repository-relative path. */
  file: string;
  line: number;
  message: string;
  fix: string;
}

export interface AdrLintOptions {
  /** Absolute repository root. */
  root: string;
  /** Repository-relative ADR directory. */
  dir: string;
  /** Repository-relative load scenarios directory. */
  scenariosDir: string;
  /** Fitness rule ids a `confirmation` may name besides STABLE_RULE_IDS (the registry's, as data). */
  ruleIds?: readonly string[];
  /** Sections every record must have; from `<dir>/template.md`, else MADR 4's mandatory ones. */
  requiredSections?: readonly string[];
  /** Whether an accepted record must name a confirmation (config `adr.requireConfirmation`; MADR makes it optional). */
  requireConfirmation?: boolean;
  /** File names: NNNN-slug.md (default) or, with `date`, YYYY-MM-DD-slug.md too. */
  naming?: 'number' | 'date';
}

export interface AdrLintResult {
  records: AdrRecord[];
  findings: AdrFinding[];
  /** Input that could not be read (YAML errors, missing directory, broken scenario file): exit 2. */
  unreadable: AdrFinding[];
}

/** Relation keys and the key that must hold the inverse link on the target record. */
const INVERSES = {
  supersedes: 'superseded-by',
  'superseded-by': 'supersedes',
  revisits: 'revisited-by',
  'revisited-by': 'revisits',
  amends: 'amended-by',
  'amended-by': 'amends',
  clarifies: 'clarified-by',
  'clarified-by': 'clarifies',
} as const;
type RelationKey = keyof typeof INVERSES;
const RELATION_KEYS = Object.keys(INVERSES) as RelationKey[];

/** Reads the ADR directory and runs every check. Never throws for bad records: it reports them. */
export async function lintAdrs(options: AdrLintOptions): Promise<AdrLintResult> {
  let collection;
  try {
    collection = await loadAdrCollection(options.root, options.dir);
  } catch (err) {
    if (err instanceof AdrReadError) return { records: [], findings: [], unreadable: [readErrorFinding(err)] };
    throw err;
  }
  const unreadable = collection.unreadable.map(readErrorFinding);
  let scenarios: Map<string, ScenarioRefs>;
  try {
    scenarios = await loadScenarioRefs(options.root, options.scenariosDir);
  } catch (err) {
    if (!(err instanceof ScenarioReadError)) throw err;
    unreadable.push({ code: 'unreadable', file: err.file, line: 1, message: err.reason, fix: 'Fix the scenario file so it parses as JSON.' });
    scenarios = new Map();
  }
  const ruleIds = new Set(await knownRuleIds(options.ruleIds));
  const requiredSections = options.requiredSections ?? (await loadRecordTemplate(options.root, options.dir)).required;
  const findings = checkRecords(collection.records, { scenarios, ruleIds, requiredSections, root: options.root, requireConfirmation: options.requireConfirmation ?? false, naming: options.naming ?? 'number' });
  return { records: collection.records, findings, unreadable };
}

function readErrorFinding(err: AdrReadError): AdrFinding {
  return { code: 'unreadable', file: err.file, line: err.line, message: err.reason, fix: 'Fix the YAML between the --- lines so it parses.' };
}

export interface CheckContext {
  scenarios: Map<string, ScenarioRefs>;
  ruleIds: Set<string>;
  /** Level-2 headings every record must carry; none checked when omitted. */
  requiredSections?: readonly string[];
  /** Absolute repository root, to check that `test:<path>` confirmations exist. */
  root?: string;
  /** Report accepted records without a confirmation. */
  requireConfirmation?: boolean;
  /** `date` accepts YYYY-MM-DD-slug.md names; such records have no number, so links cannot name them. */
  naming?: 'number' | 'date';
}

/** The checks themselves, on records already read: pure, so tests can feed them directly. */
export function checkRecords(input: AdrRecord[], ctx: CheckContext): AdrFinding[] {
  // A date-named record (2026-01-05-slug.md) has no number, though its year looks like one.
  const records = ctx.naming !== 'date' ? input : input.map((r) => {
    const dated = ADR_DATE_FILE_PATTERN.exec(r.fileName);
    return dated ? { ...r, number: undefined, slug: dated[2] } : r;
  });
  const findings: AdrFinding[] = [];
  const add = (record: AdrRecord, line: number, code: string, message: string, fix: string) =>
    findings.push({ code, file: record.file, line, message, fix });

  const valid = new Map<AdrRecord, AdrFrontMatter>();
  for (const record of records) {
    checkNameAndTitle(record, add, ctx.naming ?? 'number');
    checkSections(record, ctx.requiredSections ?? [], add);
    checkHandWrittenTriggerState(record, add);
    const meta = checkFrontMatter(record, add);
    if (meta) valid.set(record, meta);
  }
  checkNumbering(records, add);

  const byNumber = new Map<number, AdrRecord>();
  for (const r of records) if (r.number !== undefined && !byNumber.has(r.number)) byNumber.set(r.number, r);
  for (const [record, meta] of valid) {
    checkRelations(record, meta, byNumber, valid, add);
    checkConfirmation(record, meta, ctx, add);
    checkTriggerSources(record, meta, ctx, add);
    checkCriteria(record, meta, ctx, add);
  }
  checkTriggerIdsUnique(valid, add);
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code));
}

type Add = (record: AdrRecord, line: number, code: string, message: string, fix: string) => void;

function checkNameAndTitle(record: AdrRecord, add: Add, naming: 'number' | 'date'): void {
  const dated = naming === 'date' ? ADR_DATE_FILE_PATTERN.exec(record.fileName) : null;
  const slug = record.slug ?? dated?.[2];
  if (record.number === undefined && !dated) {
    add(record, 1, 'file-name', `file name "${record.fileName}" is not NNNN-kebab-title.md`,
      `Rename it to NNNN-${record.title ? slugify(record.title) : 'title'}.md with the next free number (or run \`archfit adr new\`).`);
  }
  if (record.title === undefined) {
    add(record, record.titleLine, 'missing-title', 'no "# Title" heading after the front matter',
      `Add a level-1 heading with the decision's title${record.slug ? ` (the file name says "${record.slug}")` : ''}.`);
    return;
  }
  // A heading may carry the number ("# 2. Title", "# ADR-0002: Title"); it must be this file's.
  const numbered = /^(?:ADR[- ]?)?(\d+)[.:]\s*(.*)$/i.exec(record.title);
  const title = numbered ? (numbered[2] ?? '') : record.title;
  if (numbered && record.number !== undefined && Number(numbered[1]) !== record.number) {
    add(record, record.titleLine, 'title-mismatch', `heading number ${numbered[1]} differs from the file's number ${formatNumber(record.number)}`,
      `Change the heading to "${formatNumber(record.number)}. ${title}" or drop the number from it.`);
  }
  if (slug !== undefined && slugify(title) !== slug) {
    add(record, record.titleLine, 'title-mismatch', `title "${title}" does not match the file name slug "${slug}"`,
      `Rename the file to ${dated ? dated[1] : formatNumber(record.number ?? 0)}-${slugify(title)}.md or change the heading to match the file name.`);
  }
}

function checkFrontMatter(record: AdrRecord, add: Add): AdrFrontMatter | undefined {
  if (record.data === undefined || record.data === null || typeof record.data !== 'object' || Array.isArray(record.data)) {
    add(record, 1, 'missing-front-matter', 'the record has no YAML front matter (a mapping between --- lines at the top)',
      'Start the file with ---, status, date, decision-makers (see `archfit adr new` for the template), then ---.');
    return undefined;
  }
  const data = record.data as Record<string, unknown>;
  const seen = new Set<string>();
  for (const error of Value.Errors(AdrFrontMatterSchema, data)) {
    const yamlPath = error.path.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    // One finding per field: a union failure also reports its members.
    const key = yamlPath.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const line = record.lineOf(yamlPath);
    const [head, index, ...rest] = yamlPath;
    if (head === 'status') {
      add(record, line, 'invalid-status', `status ${JSON.stringify(data.status)} is not one of ${ADR_STATUSES.join(', ')}`,
        `Set status to one of: ${ADR_STATUSES.join(' | ')}.`);
    } else if (head === 'revisit-triggers' && typeof index === 'number') {
      const trigger = (data['revisit-triggers'] as Array<Record<string, unknown>> | undefined)?.[index];
      const name = typeof trigger?.id === 'string' ? `trigger "${trigger.id}"` : `trigger #${index + 1}`;
      add(record, line, 'incomplete-trigger', `${name}: ${describeError(rest.join('.') || 'entry', error.message)}`, triggerFix(rest.join('.')));
    } else {
      add(record, line, 'invalid-front-matter', `${key || 'front matter'}: ${describeError(key, error.message)}`, frontMatterFix(String(head ?? '')));
    }
  }
  if (seen.size > 0) return undefined;
  return data as AdrFrontMatter;
}

function describeError(field: string, message: string): string {
  if (message === 'Expected required property') return `${field} is missing`;
  if (message === 'Unexpected property') return `${field} is not a known field`;
  return `${field} is invalid (${message.toLowerCase()})`;
}

function triggerFix(field: string): string {
  const hints: Record<string, string> = {
    id: 'Give the trigger a kebab-case id, unique across all ADRs.',
    description: 'Describe in one sentence which assumption of the decision stops holding.',
    metric: 'Name the evidence metric (snake_case key of the evidence file\'s `metrics`).',
    comparator: 'Use one of < <= > >= (quoted: comparator: "<").',
    threshold: 'Write threshold: { value: <number>, unit: <unit> }.',
    'threshold.value': 'Give the threshold a numeric value.',
    'threshold.unit': 'Give the threshold its unit, e.g. unit: users/day.',
    sustain: 'Write the window as <n>h or <n>d, e.g. sustain: 7d, or drop it.',
    source: 'Name where evidence comes from: source: { scenario: <load scenario id> } or { repository: team-size | compliance-isolation | feature-slos }.',
    'source.scenario': 'Name a load scenario id (kebab-case).',
    'source.repository': 'Use one of team-size, compliance-isolation, feature-slos.',
  };
  return hints[field] ?? 'Each trigger needs id, description, metric, comparator, threshold { value, unit } and source; sustain is optional.';
}

function frontMatterFix(field: string): string {
  const hints: Record<string, string> = {
    date: 'Write the date as YYYY-MM-DD.',
    'decision-makers': 'List at least one person or role under decision-makers.',
    confirmation: 'List fitness rule ids or <scenario>:<threshold-id> strings.',
    modules: 'List the module names this decision governs.',
  };
  if (RELATION_KEYS.includes(field as RelationKey)) return `List ADR numbers, e.g. ${field}: [2].`;
  return hints[field] ?? `Fix or remove "${field}"; the schema is in fitness/src/adr/schema.ts and docs/adr.md.`;
}

function checkNumbering(records: AdrRecord[], add: Add): void {
  const byNumber = new Map<number, AdrRecord[]>();
  for (const r of records) {
    if (r.number === undefined) continue;
    byNumber.set(r.number, [...(byNumber.get(r.number) ?? []), r]);
  }
  for (const [n, same] of byNumber) {
    if (same.length < 2) continue;
    for (const r of same.slice(1)) {
      add(r, 1, 'duplicate-number', `number ${formatNumber(n)} is also used by ${same[0]!.fileName}`,
        `Renumber this record to ${formatNumber(Math.max(...byNumber.keys()) + 1)} and update the links that point at it.`);
    }
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  let expected = 1;
  for (const n of numbers) {
    if (n > expected) {
      const first = byNumber.get(n)![0]!;
      const missing = n - 1 === expected ? formatNumber(expected) : `${formatNumber(expected)}-${formatNumber(n - 1)}`;
      add(first, 1, 'number-gap', `numbers jump to ${formatNumber(n)}: ${missing} missing`,
        `Renumber this record to ${formatNumber(expected)} if it was never merged; a withdrawn decision keeps its file with status rejected or deprecated.`);
    }
    expected = n + 1;
  }
}

function relationTargets(meta: AdrFrontMatter, key: RelationKey): number[] {
  const values = (meta[key] ?? []) as Array<number | RevisitRef>;
  return values.map((v) => revisitTarget(v as RevisitRef));
}

function checkRelations(record: AdrRecord, meta: AdrFrontMatter, byNumber: Map<number, AdrRecord>, valid: Map<AdrRecord, AdrFrontMatter>, add: Add): void {
  const self = record.number;
  for (const key of RELATION_KEYS) {
    relationTargets(meta, key).forEach((target, index) => {
      const line = record.lineOf([key, index]);
      if (target === self) {
        add(record, line, 'dangling-relation', `${key} points at the record itself (${formatNumber(target)})`, `Remove ${target} from ${key}.`);
        return;
      }
      const other = byNumber.get(target);
      if (!other) {
        add(record, line, 'dangling-relation', `${key} names ADR ${formatNumber(target)}, which does not exist`,
          `Fix the number in ${key} or remove it.`);
        return;
      }
      const otherMeta = valid.get(other);
      if (!otherMeta || self === undefined) return; // its own findings already explain why
      const inverse = INVERSES[key];
      if (!relationTargets(otherMeta, inverse).includes(self)) {
        add(record, line, 'missing-inverse', `${key} names ${other.fileName}, but its ${inverse} does not list ${formatNumber(self)}`,
          `Add ${self} to ${inverse} in ${other.file}.`);
      }
    });
  }
  // The long form of a revisit names the trigger it answers; that trigger must be declared there.
  (meta.revisits ?? []).forEach((ref, index) => {
    if (typeof ref === 'number' || ref.trigger === undefined) return;
    const other = byNumber.get(ref.adr);
    const otherMeta = other && valid.get(other);
    if (!other || !otherMeta) return;
    const declared = (otherMeta['revisit-triggers'] ?? []).map((t) => t.id);
    if (!declared.includes(ref.trigger)) {
      add(record, record.lineOf(['revisits', index, 'trigger']), 'dangling-relation',
        `revisits names trigger "${ref.trigger}", which ${other.fileName} does not declare`,
        declared.length > 0 ? `Use one of its triggers: ${declared.join(', ')}.` : `Drop "trigger" from this entry: ${other.fileName} declares no triggers.`);
    }
  });
  if (meta.status === 'superseded' && relationTargets(meta, 'superseded-by').length === 0) {
    add(record, record.lineOf(['status']), 'superseded-without-successor', 'status is superseded but superseded-by names no successor',
      'Add the superseding record\'s number to superseded-by, or change the status (deprecated if nothing replaces it).');
  }
  // Accepting a successor retires its predecessor; a proposal may supersede a still-live record.
  if (meta.status === 'accepted') {
    relationTargets(meta, 'supersedes').forEach((target, index) => {
      const other = byNumber.get(target);
      const otherMeta = other && valid.get(other);
      if (other && otherMeta && otherMeta.status !== 'superseded') {
        add(record, record.lineOf(['supersedes', index]), 'predecessor-not-superseded',
          `this accepted record supersedes ${other.fileName}, whose status is still ${otherMeta.status}`,
          `Set status: superseded in ${other.file}.`);
      }
    });
  }
}

function checkConfirmation(record: AdrRecord, meta: AdrFrontMatter, ctx: CheckContext, add: Add): void {
  if (ctx.requireConfirmation && meta.status === 'accepted' && (meta.confirmation ?? []).length === 0) {
    add(record, record.lineOf(['confirmation']), 'missing-confirmation', 'an accepted record names no machine confirmation',
      'List under confirmation the fitness rule ids, <scenario>:<threshold-id> load thresholds or test:<path> test files that fail when the decision is broken.');
  }
  (meta.confirmation ?? []).forEach((id, index) => {
    const line = record.lineOf(['confirmation', index]);
    if (id.startsWith('test:')) {
      const file = id.slice('test:'.length);
      const exists = ctx.root !== undefined && file.length > 0 && !path.isAbsolute(file) && !file.split('/').includes('..') && existsSync(path.resolve(ctx.root, file));
      if (!exists) {
        add(record, line, 'unknown-confirmation', `confirmation "${id}" names a test file that does not exist`,
          'Give the repository-relative path of an existing test file, e.g. test:fitness/test/adr/lint.test.ts.');
      }
      return;
    }
    const colon = id.indexOf(':');
    if (colon === -1) {
      if (!ctx.ruleIds.has(id)) {
        add(record, line, 'unknown-confirmation', `confirmation "${id}" is not a fitness rule archfit knows`,
          `Use one of ${[...ctx.ruleIds].sort().join(', ')}, or <scenario>:<threshold-id> for a load threshold.`);
      }
      return;
    }
    const scenarioId = id.slice(0, colon);
    const thresholdId = id.slice(colon + 1);
    const scenario = ctx.scenarios.get(scenarioId);
    if (!scenario) {
      add(record, line, 'unknown-confirmation', `confirmation "${id}" names load scenario "${scenarioId}", which has no scenario file`,
        `Use a scenario id from the load scenarios directory (${[...ctx.scenarios.keys()].join(', ') || 'none found'}).`);
    } else if (!scenario.thresholdIds.has(thresholdId)) {
      add(record, line, 'unknown-confirmation', `confirmation "${id}": ${scenario.file} has no threshold "${thresholdId}"`,
        `Use one of its thresholds: ${[...scenario.thresholdIds].join(', ') || '(it declares none)'}.`);
    }
  });
}

function checkTriggerSources(record: AdrRecord, meta: AdrFrontMatter, ctx: CheckContext, add: Add): void {
  (meta['revisit-triggers'] ?? []).forEach((trigger, index) => {
    const line = record.lineOf(['revisit-triggers', index, 'source']);
    if ('observed' in trigger.source) {
      const expected = OBSERVED_MEASUREMENTS[trigger.source.observed as ObservedMeasurement];
      if (trigger.metric !== expected) {
        add(record, line, 'unresolved-source', `trigger "${trigger.id}": observed measurement ${trigger.source.observed} yields ${expected}, not ${trigger.metric}`,
          `Set metric: ${expected}.`);
      }
      checkAgreement(record, index, trigger.id, trigger.threshold.value, trigger['agrees-with'], ctx, add);
      return;
    }
    if ('repository' in trigger.source) {
      const expected = REPOSITORY_MEASUREMENTS[trigger.source.repository as RepositoryMeasurement];
      if (trigger.metric !== expected) {
        add(record, line, 'unresolved-source', `trigger "${trigger.id}": repository measurement ${trigger.source.repository} yields ${expected}, not ${trigger.metric}`,
          `Set metric: ${expected}, or choose the source that measures ${trigger.metric}.`);
      }
      return;
    }
    const scenario = ctx.scenarios.get(trigger.source.scenario);
    if (!scenario) {
      add(record, line, 'unresolved-source', `trigger "${trigger.id}": load scenario "${trigger.source.scenario}" has no scenario file`,
        `Write the scenario file, or use one of: ${[...ctx.scenarios.keys()].join(', ') || 'no scenarios found'}.`);
    } else if (!scenario.metrics.has(trigger.metric)) {
      add(record, line, 'unresolved-source', `trigger "${trigger.id}": ${scenario.file} does not report metric ${trigger.metric}`,
        `Use a metric the scenario reports (${[...scenario.metrics].join(', ') || 'none'}), or add it to its thresholds or metrics.`);
    } else {
      // The scenario's own pass/fail threshold on the same metric is the same line drawn twice: they must agree.
      for (const [thresholdId, t] of scenario.thresholds ?? new Map()) {
        if (t.metric === trigger.metric && t.value !== trigger.threshold.value) {
          add(record, record.lineOf(['revisit-triggers', index, 'threshold', 'value']), 'threshold-disagrees',
            `trigger "${trigger.id}" draws ${trigger.metric} at ${trigger.threshold.value}, but ${scenario.file} threshold "${thresholdId}" draws it at ${t.value}`,
            'Keep one number: change the trigger or the scenario threshold so both say the same, in the same commit.');
        }
      }
    }
    checkAgreement(record, index, trigger.id, trigger.threshold.value, trigger['agrees-with'], ctx, add);
  });
}

/** `agrees-with: <scenario>:<threshold-id>`: the trigger restates that threshold's number. */
function checkAgreement(record: AdrRecord, index: number, id: string, value: number, ref: string | undefined, ctx: CheckContext, add: Add): void {
  if (ref === undefined) return;
  const line = record.lineOf(['revisit-triggers', index, 'agrees-with']);
  const [scenarioId, thresholdId] = ref.split(':') as [string, string];
  const threshold = ctx.scenarios.get(scenarioId)?.thresholds?.get(thresholdId);
  if (!threshold) {
    add(record, line, 'unresolved-source', `trigger "${id}": agrees-with names ${ref}, which no scenario file declares`,
      `Name a <scenario>:<threshold-id> that exists (${[...ctx.scenarios.values()].flatMap((s) => [...s.thresholdIds].map((t) => `${s.id}:${t}`)).join(', ') || 'none found'}).`);
  } else if (threshold.value !== value) {
    add(record, line, 'threshold-disagrees', `trigger "${id}" says ${value}, but ${ref} says ${threshold.value}`,
      'Keep one number: change the trigger or the scenario threshold so both say the same, in the same commit.');
  }
}

/** Success and rollback criteria read pilot evidence: their scenario must exist and report the metric. */
function checkCriteria(record: AdrRecord, meta: AdrFrontMatter, ctx: CheckContext, add: Add): void {
  const seen = new Set<string>();
  for (const key of ['success-criteria', 'rollback-criteria'] as const) {
    (meta[key] ?? []).forEach((criterion: Criterion, index) => {
      if (seen.has(criterion.id)) {
        add(record, record.lineOf([key, index, 'id']), 'duplicate-trigger-id', `criterion id "${criterion.id}" is used twice in this record`, 'Give each criterion its own id.');
      }
      seen.add(criterion.id);
      const scenario = ctx.scenarios.get(criterion.source.scenario);
      const line = record.lineOf([key, index, 'source']);
      if (!scenario) {
        add(record, line, 'unresolved-source', `criterion "${criterion.id}": load scenario "${criterion.source.scenario}" has no scenario file`,
          `Use one of: ${[...ctx.scenarios.keys()].join(', ') || 'no scenarios found'}.`);
      } else if (!scenario.metrics.has(criterion.metric)) {
        add(record, line, 'unresolved-source', `criterion "${criterion.id}": ${scenario.file} does not report metric ${criterion.metric}`,
          `Use a metric the scenario reports (${[...scenario.metrics].join(', ') || 'none'}).`);
      }
    });
  }
}

/** Each required section must appear as a level-2 heading of the body. */
function checkSections(record: AdrRecord, required: readonly string[], add: Add): void {
  if (required.length === 0) return;
  const present = new Set(headingsOf(record.body).map((h) => sectionKey(h.title)));
  const missing = required.filter((title) => !present.has(sectionKey(title)));
  if (missing.length === 0) return;
  add(record, record.titleLine, 'missing-section', `the record has no ${missing.map((m) => `"## ${m}"`).join(', ')} section${missing.length > 1 ? 's' : ''}`,
    `Add ${missing.length > 1 ? 'them' : 'it'}; the required sections are the repository's template.md in the ADR directory, else MADR 4's mandatory ones.`);
}

/**
 * Whether any trigger is close is a measurement, so a record must not assert it in prose: the
 * sentence goes stale the day the evidence changes. `archfit triggers` says it instead.
 */
const TRIGGER_STATE_CLAIM = /\b(?:none of the (?:revisit )?triggers (?:is|are) (?:close|near)|all (?:\w+ )?(?:of the )?(?:revisit )?triggers are far away|all \w+ are far away today)\b/i;

function checkHandWrittenTriggerState(record: AdrRecord, add: Add): void {
  const lines = record.text.split(/\r?\n/);
  lines.forEach((text, i) => {
    if (TRIGGER_STATE_CLAIM.test(text)) {
      add(record, i + 1, 'hand-written-trigger-state', 'the record states in prose how close the triggers are',
        'Delete the sentence and point at `npx archfit triggers` (or the generated table in docs/adr.md), which computes it from the evidence.');
    }
  });
}

function checkTriggerIdsUnique(valid: Map<AdrRecord, AdrFrontMatter>, add: Add): void {
  const firstSeen = new Map<string, AdrRecord>();
  for (const [record, meta] of valid) {
    (meta['revisit-triggers'] ?? []).forEach((trigger, index) => {
      const first = firstSeen.get(trigger.id);
      if (!first) {
        firstSeen.set(trigger.id, record);
        return;
      }
      add(record, record.lineOf(['revisit-triggers', index, 'id']), 'duplicate-trigger-id',
        `trigger id "${trigger.id}" is already declared in ${first.fileName}`,
        'Keep each trigger in one record: remove this copy, or rename it if it watches something else.');
    });
  }
}
