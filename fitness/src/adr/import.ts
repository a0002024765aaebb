import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AdrCreateError } from './create.js';
import { formatNumber, slugify } from './parse.js';
import { ADR_STATUSES, type AdrStatus } from './schema.js';
import { TEMPLATE_FILE } from './template.js';
import { NYGARD_TEMPLATE } from './init.js';

/**
 * Converts a collection written by adr-tools (Michael Nygard's format: `# N. Title`, a
 * `Date:` line, `## Status` holding the status word and one line per link) into archfit
 * records: the status, date and links move into front matter, the body keeps its sections.
 * adr-tools writes links as "<verb> [N. Title](NNNN-slug.md)"; the verbs it ships with
 * (Supersedes, Amends, Clarifies and their inverses) become typed relations.
 */

export interface ImportOptions {
  root: string;
  /** Repository-relative source directory; default: the `.adr-dir` file's content, else doc/adr. */
  from?: string;
  /** Repository-relative target directory. */
  dir: string;
  /** Who the imported records name as decision-makers (adr-tools records name nobody). */
  decisionMakers?: string[];
  /** Date for a record without a `Date:` line. */
  fallbackDate?: string;
}

export interface ImportedRecord {
  number: number;
  file: string;
  status: AdrStatus;
}

export interface ImportResult {
  from: string;
  records: ImportedRecord[];
  /** Repository-relative files written (records and, when absent, the Nygard template.md). */
  written: string[];
  /** What could not be carried over as data, one sentence each, with its file. */
  notes: string[];
}

const RELATION_OF_VERB: Record<string, string> = {
  supersedes: 'supersedes',
  'superseded by': 'superseded-by',
  amends: 'amends',
  'amended by': 'amended-by',
  clarifies: 'clarifies',
  'clarified by': 'clarified-by',
};
const RELATION_ORDER = ['supersedes', 'superseded-by', 'amends', 'amended-by', 'clarifies', 'clarified-by'];

const LINK_LINE = /^(.+?)\s+\[(\d+)\.\s*[^\]]*\]\(([^)]*)\)\s*$/;

interface Parsed {
  number: number;
  title: string;
  date: string | undefined;
  status: AdrStatus | undefined;
  statusText: string[];
  relations: Map<string, number[]>;
  keptLinkLines: string[];
  body: string;
}

function parseNygard(text: string, number: number, file: string, notes: string[]): Parsed {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const h1 = lines.findIndex((l) => /^#\s+/.test(l));
  const heading = h1 >= 0 ? lines[h1]!.replace(/^#\s+/, '').trim() : '';
  const title = heading.replace(/^\d+\.\s*/, '') || `Decision ${number}`;
  let date: string | undefined;
  const dateLine = lines.findIndex((l) => /^Date:\s*/i.test(l));
  if (dateLine >= 0) {
    const m = /^Date:\s*(\d{4}-\d{2}-\d{2})/i.exec(lines[dateLine]!);
    if (m) date = m[1];
    else notes.push(`${file}: date "${lines[dateLine]!.slice(5).trim()}" is not YYYY-MM-DD; the fallback date is used`);
  }
  const statusStart = lines.findIndex((l) => /^##\s+Status\s*$/i.test(l));
  const statusEnd = statusStart < 0 ? -1 : lines.findIndex((l, i) => i > statusStart && /^##\s/.test(l));
  const statusLines = statusStart < 0 ? [] : lines.slice(statusStart + 1, statusEnd < 0 ? undefined : statusEnd).map((l) => l.trim()).filter(Boolean);
  const relations = new Map<string, number[]>();
  const keptLinkLines: string[] = [];
  const statusText: string[] = [];
  let status: AdrStatus | undefined;
  for (const line of statusLines) {
    const link = LINK_LINE.exec(line);
    if (link) {
      const relation = RELATION_OF_VERB[link[1]!.trim().toLowerCase()];
      if (relation) {
        relations.set(relation, [...(relations.get(relation) ?? []), Number(link[2])]);
      } else {
        keptLinkLines.push(line);
        notes.push(`${file}: link "${link[1]!.trim()}" is not a relation archfit types (supersedes, amends, clarifies); kept as text`);
      }
      continue;
    }
    const word = line.split(/\s+/)[0]!.toLowerCase().replace(/[^a-z]/g, '');
    if (status === undefined && (ADR_STATUSES as readonly string[]).includes(word)) status = word as AdrStatus;
    else statusText.push(line);
  }
  // adr-tools replaces "Accepted" by the "Superseded by" link when it supersedes a record.
  if (status === undefined && relations.has('superseded-by')) status = 'superseded';
  if (status === undefined) notes.push(`${file}: no status word in its Status section; imported as proposed`);
  const skip = new Set<number>([h1, dateLine, statusStart]);
  const body = lines
    .map((l, i) => {
      if (skip.has(i)) return undefined;
      if (statusStart >= 0 && i > statusStart && (statusEnd < 0 || i < statusEnd)) return undefined;
      return l;
    })
    .filter((l): l is string => l !== undefined);
  return { number, title, date, status, statusText, relations, keptLinkLines, body: body.join('\n') };
}

/** Reads the source collection and writes the converted records; refuses to overwrite a record. */
export async function importAdrTools(options: ImportOptions): Promise<ImportResult> {
  let from = options.from;
  if (from === undefined) {
    const marker = path.resolve(options.root, '.adr-dir');
    from = existsSync(marker) ? (await readFile(marker, 'utf8')).trim() : 'doc/adr';
  }
  const absFrom = path.resolve(options.root, from);
  let names: string[];
  try {
    names = (await readdir(absFrom)).filter((n) => /^\d+-.*\.md$/.test(n)).sort();
  } catch (err) {
    throw new AdrCreateError(`cannot read the adr-tools directory ${from}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (names.length === 0) throw new AdrCreateError(`${from} holds no adr-tools records (NNNN-title.md)`);
  const notes: string[] = [];
  const parsed: Parsed[] = [];
  for (const name of names) {
    const number = Number(/^(\d+)-/.exec(name)![1]);
    parsed.push(parseNygard(await readFile(path.join(absFrom, name), 'utf8'), number, path.posix.join(from, name), notes));
  }
  const byNumber = new Map(parsed.map((p) => [p.number, p]));
  // adr-tools writes both ends of a link it creates; a hand edit may have dropped one. Restore it.
  const inverse: Record<string, string> = { supersedes: 'superseded-by', 'superseded-by': 'supersedes', amends: 'amended-by', 'amended-by': 'amends', clarifies: 'clarified-by', 'clarified-by': 'clarifies' };
  for (const p of parsed) {
    for (const [relation, targets] of p.relations) {
      for (const target of targets) {
        const other = byNumber.get(target);
        if (!other) {
          notes.push(`${from}: record ${p.number} ${relation} ${target}, which is not in the collection; the link is dropped`);
          p.relations.set(relation, (p.relations.get(relation) ?? []).filter((n) => n !== target));
          continue;
        }
        const back = inverse[relation]!;
        const list = other.relations.get(back) ?? [];
        if (!list.includes(p.number)) {
          other.relations.set(back, [...list, p.number]);
          notes.push(`${from}: record ${other.number} lacked the "${back}" link back to ${p.number}; added`);
        }
      }
    }
  }

  const absDir = path.resolve(options.root, options.dir);
  await mkdir(absDir, { recursive: true });
  const written: string[] = [];
  const relDir = options.dir.split(path.sep).join('/');
  if (!existsSync(path.join(absDir, TEMPLATE_FILE))) {
    await writeFile(path.join(absDir, TEMPLATE_FILE), NYGARD_TEMPLATE, { flag: 'wx' });
    written.push(path.posix.join(relDir, TEMPLATE_FILE));
  }
  const makers = `[${(options.decisionMakers?.length ? options.decisionMakers : ['unknown (imported from adr-tools)']).map((m) => JSON.stringify(m)).join(', ')}]`;
  const fallbackDate = options.fallbackDate ?? new Date().toISOString().slice(0, 10);
  const records: ImportedRecord[] = [];
  for (const p of parsed) {
    const status = p.status ?? 'proposed';
    const fileName = `${formatNumber(p.number)}-${slugify(p.title)}.md`;
    const relations = RELATION_ORDER.filter((r) => (p.relations.get(r) ?? []).length > 0)
      .map((r) => `${r}: [${[...new Set(p.relations.get(r))].sort((a, b) => a - b).join(', ')}]\n`)
      .join('');
    if (p.date === undefined) notes.push(`${from}: record ${p.number} has no Date line; dated ${fallbackDate}`);
    const statusSection = ['## Status', '', status[0]!.toUpperCase() + status.slice(1), ...p.statusText.map((l) => `\n${l}`), ...p.keptLinkLines.map((l) => `\n${l}`), ''].join('\n');
    const text = `---\nstatus: ${status}\ndate: ${p.date ?? fallbackDate}\ndecision-makers: ${makers}\n${relations}---\n\n# ${formatNumber(p.number)}. ${p.title}\n\n${statusSection}\n${p.body.replace(/^\n+/, '')}`;
    await writeFile(path.join(absDir, fileName), text.endsWith('\n') ? text : `${text}\n`, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') throw new AdrCreateError(`${path.posix.join(relDir, fileName)} already exists: import into an empty directory`);
      throw err;
    });
    written.push(path.posix.join(relDir, fileName));
    records.push({ number: p.number, file: path.posix.join(relDir, fileName), status });
  }
  return { from, records, written, notes };
}
