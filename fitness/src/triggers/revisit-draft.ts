import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatNumber, slugify } from '../adr/parse.js';
import type { TriggerResult } from './evaluate.js';
import { readEvidence } from './evidence-store.js';
import { evaluateTriggers } from './evaluate-all.js';
import type { TriggerSettings } from './settings.js';

const run = promisify(execFile);

/** Bad input for `adr revisit` (exit 2): an unknown trigger id, unreadable ADRs. */
export class RevisitDraftError extends Error {
  override name = 'RevisitDraftError';
}

export interface RevisitDraft {
  number: number;
  /** Repo-relative path of the new record. */
  file: string;
  /** The record whose trigger fired; it gained a `revisited-by` entry. */
  updated: string;
  trigger: TriggerResult;
}

async function gitUser(root: string): Promise<string> {
  try {
    return (await run('git', ['config', 'user.name'], { cwd: root })).stdout.trim() || 'architecture owners';
  } catch {
    return 'architecture owners';
  }
}

/**
 * Drafts `NNNN-revisit-...md` for one trigger: the measurement against its threshold, the
 * evidence embedded (facts, verdicts, metrics) and linked, and the three outcomes to choose
 * from. Adds the new number to the original record's `revisited-by` so the pair stays linked.
 */
export async function draftRevisit(settings: TriggerSettings, triggerId: string, opts: { date?: string; decisionMakers?: string[] } = {}): Promise<RevisitDraft> {
  const report = await evaluateTriggers(settings);
  const trigger = report.triggers.find((t) => t.id === triggerId);
  if (!trigger) {
    const known = report.triggers.map((t) => t.id).join(', ') || 'none';
    throw new RevisitDraftError(`no revisit trigger "${triggerId}" in ${settings.adrDir}/ (declared: ${known})`);
  }
  const declared = report.declared.find((d) => d.trigger.id === triggerId)!;
  const original = report.records.find((r) => r.number === trigger.adr)!;
  if (!original.doc) throw new RevisitDraftError(`${original.file} has no front matter to record the revisit in`);

  const absDir = path.resolve(settings.root, settings.adrDir);
  const taken = (await readdir(absDir)).map((n) => /^(\d{4})-/.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  const number = Math.max(0, ...taken) + 1;
  const title = `Revisit ADR-${formatNumber(trigger.adr)}: ${trigger.id} ${trigger.status === 'fired' ? 'fired' : `is ${trigger.status}`}`;
  const fileName = `${formatNumber(number)}-${slugify(title)}.md`;
  const file = path.posix.join(settings.adrDir.split(path.sep).join('/'), fileName);
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const makers = opts.decisionMakers?.length ? opts.decisionMakers : [await gitUser(settings.root)];

  // Links are relative to the ADR directory so they work on GitHub and in any Markdown viewer.
  const rel = (p: string) => path.posix.relative(settings.adrDir.split(path.sep).join('/'), p);
  const evidenceFile = trigger.evidence && !trigger.evidence.startsWith('repository:') ? trigger.evidence : undefined;
  const evidenceRef = evidenceFile ? `, evidence: ${JSON.stringify(evidenceFile)}` : '';
  const front = [
    '---',
    'status: proposed',
    `date: ${date}`,
    `decision-makers: [${makers.map((m) => JSON.stringify(m)).join(', ')}]`,
    `revisits: [{ adr: ${trigger.adr}, trigger: ${trigger.id}${evidenceRef} }]`,
    '---',
  ].join('\n');

  const measured = `\`${trigger.metric}\` = ${trigger.value ?? 'no value'} (fires when ${trigger.comparator} ${trigger.threshold} ${trigger.unit})`;
  const evidenceSection = await evidenceBlock(settings.root, evidenceFile, trigger, rel);
  const body = `
# ${title}

## Context and Problem Statement

[ADR-${formatNumber(trigger.adr)}](${original.fileName}) (${original.title ?? original.fileName}) declared the revisit
trigger \`${trigger.id}\`: "${declared.trigger.description}". Its status is **${trigger.status}**: ${measured}.
${trigger.reason}.

Does the decision still hold with this measurement?

## Evidence

${evidenceSection}

## Considered Options

- **reaffirmed**: the decision stands; say why the measurement does not change it, and re-arm the
  trigger with a new threshold in ADR-${formatNumber(trigger.adr)} if the old one no longer fits.
- **amended**: the decision stands with changes (e.g. a different write model or execution mode);
  record them here and in the modules they touch.
- **superseded**: the decision no longer holds; write its successor with
  \`archfit adr new "<title>" --supersedes ${trigger.adr}\`.

## Decision Outcome

Outcome: reaffirmed | amended | superseded (keep one), because ...

### Consequences

- Good, because ...
- Bad, because ...
`;
  await writeFile(path.join(absDir, fileName), `${front}\n${body}`, { flag: 'wx' });

  // Keep the pair linked both ways, as the ADR lint requires, touching only that one line.
  const target = path.resolve(settings.root, original.file);
  await writeFile(target, addRevisitedBy(await readFile(target, 'utf8'), number));
  return { number, file, updated: original.file, trigger };
}

async function evidenceBlock(root: string, file: string | undefined, trigger: TriggerResult, rel: (p: string) => string): Promise<string> {
  if (!file) {
    return trigger.evidence?.startsWith('repository:')
      ? `Measured from the repository (\`${trigger.evidence}\`) when this draft was written: ${trigger.reason}.`
      : 'There is no evidence file for this trigger yet.';
  }
  const read = await readEvidence(root, file);
  const html = file.replace(/\.json$/, '.html');
  const links = `Evidence file: [${file}](${rel(file)})${existsSync(path.resolve(root, html)) ? `; report: [${path.posix.basename(html)}](${rel(html)})` : ''}.`;
  if (!read.ok) return `${links}\n\nThe evidence could not be read: ${read.reason}.`;
  const ev = read.evidence;
  const facts = [
    ['scenario', ev.scenario],
    ['finished', ev.finishedAt],
    ['profile', ev.profile],
    ['runner', `${ev.runner.name} ${ev.runner.version}`],
    ['commit', ev.commit ? `${ev.commit.sha.slice(0, 12)}${ev.commit.dirty ? ' (dirty)' : ''}` : 'unknown'],
    ['machine', `${ev.machine.cpus} x ${ev.machine.cpuModel}, Node ${ev.machine.node}${ev.machine.postgres ? `, PostgreSQL ${ev.machine.postgres}` : ''}`],
    ['definition', ev.definitionHash],
  ];
  const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  return [
    links,
    '',
    table(['fact', 'value'], facts),
    '',
    'Thresholds of the run:',
    '',
    table(['threshold', 'measured', 'verdict'], ev.thresholds.map((t) => [`${t.id}: ${t.metric} ${t.comparator} ${t.value} ${t.unit}`, t.actual === null ? 'missing' : String(t.actual), t.verdict])),
    '',
    'Metrics of the run:',
    '',
    '```json',
    JSON.stringify(ev.metrics, null, 2),
    '```',
    ...(ev.notes.length ? ['', 'Notes of the run:', '', ...ev.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

/**
 * Adds `number` to the front matter's `revisited-by`, editing only the line(s) it must: the
 * flow list `revisited-by: [..]` gains the number, a block list gains one `- N` item, and a
 * record without the key gains one line before the closing `---`. Everything else, comments
 * and formatting included, stays byte for byte.
 */
export function addRevisitedBy(text: string, number: number): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '---') throw new RevisitDraftError('the record has no front matter to record the revisit in');
  const close = lines.indexOf('---', 1);
  if (close < 0) throw new RevisitDraftError('the record\'s front matter is not closed by ---');
  const at = lines.findIndex((l, i) => i > 0 && i < close && /^revisited-by\s*:/.test(l));
  if (at < 0) {
    lines.splice(close, 0, `revisited-by: [${number}]`);
    return lines.join(eol);
  }
  const flow = /^(revisited-by\s*:\s*\[)([^\]]*)(\].*)$/.exec(lines[at]!);
  if (flow) {
    const items = flow[2]!.split(',').map((x) => x.trim()).filter(Boolean);
    if (!items.includes(String(number))) lines[at] = `${flow[1]}${[...items, String(number)].join(', ')}${flow[3]}`;
    return lines.join(eol);
  }
  let last = at;
  const items: string[] = [];
  for (let i = at + 1; i < close && /^\s*-\s*/.test(lines[i]!); i++) {
    last = i;
    items.push(lines[i]!.replace(/^\s*-\s*/, '').trim());
  }
  if (last === at) throw new RevisitDraftError(`revisited-by at front-matter line ${at} is neither a [list] nor a block list; add ${number} by hand`);
  if (!items.includes(String(number))) lines.splice(last + 1, 0, `${/^(\s*-\s*)/.exec(lines[last]!)![1]}${number}`);
  return lines.join(eol);
}
