import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { isSeq, type Document } from 'yaml';
import { loadAdrCollection } from './collection.js';
import { ADR_FILE_PATTERN, formatNumber, slugify } from './parse.js';
import { loadRecordTemplate } from './template.js';

const run = promisify(execFile);

export interface CreateAdrOptions {
  root: string;
  /** Repository-relative ADR directory. */
  dir: string;
  title: string;
  /** Number of the record this one replaces; both records are updated. */
  supersedes?: number;
  /** YYYY-MM-DD; today (UTC) when omitted. */
  date?: string;
  /** Defaults to the git user name of the repository, else "architecture owners". */
  decisionMakers?: string[];
  /** `date` names the file YYYY-MM-DD-slug.md (config `adr.naming`). */
  naming?: 'number' | 'date';
}

export interface CreatedAdr {
  number: number;
  /** Repository-relative path of the new record. */
  file: string;
  /** Repository-relative paths of existing records that were edited. */
  updated: string[];
}

/** Input that `adr new` refuses (exit 2): an empty title, a missing or unreadable predecessor. */
export class AdrCreateError extends Error {
  override name = 'AdrCreateError';
}

/** Writes `NNNN-slug.md` with the next free number and, with `supersedes`, links both records. */
export async function createAdr(options: CreateAdrOptions): Promise<CreatedAdr> {
  const slug = slugify(options.title);
  if (!slug) throw new AdrCreateError(`the title "${options.title}" has no letters or digits to name the file with`);
  const absDir = path.resolve(options.root, options.dir);
  await mkdir(absDir, { recursive: true });
  // Every numbered file counts, even one that does not parse: its number is taken.
  const taken = (await readdir(absDir)).map((n) => /^(\d{4})-/.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  const number = Math.max(0, ...taken) + 1;
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const fileName = options.naming === 'date' ? `${date}-${slug}.md` : `${formatNumber(number)}-${slug}.md`;
  const file = path.posix.join(options.dir.split(path.sep).join('/'), fileName);
  const updated: string[] = [];

  let predecessorLink = '';
  if (options.supersedes !== undefined) {
    const collection = await loadAdrCollection(options.root, options.dir);
    const old = collection.records.find((r) => r.number === options.supersedes);
    if (!old) {
      const broken = collection.unreadable.find((e) => ADR_FILE_PATTERN.exec(path.basename(e.file))?.[1] === formatNumber(options.supersedes!));
      throw new AdrCreateError(broken ? `cannot supersede ${broken.file}: ${broken.reason}` : `there is no ADR ${formatNumber(options.supersedes)} to supersede`);
    }
    if (!old.doc) throw new AdrCreateError(`cannot supersede ${old.file}: it has no front matter to record the successor in`);
    appendNumber(old.doc, 'superseded-by', number);
    await writeFile(path.resolve(options.root, old.file), `---\n${old.doc.toString({ flowCollectionPadding: false })}---\n${old.body}`);
    updated.push(old.file);
    predecessorLink = `\nThis record supersedes [ADR-${formatNumber(old.number!)}](${old.fileName}) (${old.title ?? old.fileName}).\n`;
  }

  const makers = options.decisionMakers?.length ? options.decisionMakers : [await gitUserName(options.root)];
  const fields = {
    title: options.title,
    date,
    makers,
    supersedes: options.supersedes,
    predecessorLink,
  };
  // A repository's own template wins; adr-tools' placeholders (NUMBER, TITLE, DATE, STATUS) are filled in.
  const own = await loadRecordTemplate(options.root, options.dir);
  const text = own.text === undefined ? template(fields) : fromRepositoryTemplate(own.text, number, fields);
  await writeFile(path.join(absDir, fileName), text, { flag: 'wx' });
  return { number, file, updated };
}

/** Adds `value` to the list under `key`, creating the list when absent; keeps comments and layout. */
function appendNumber(doc: Document, key: string, value: number): void {
  const node = doc.get(key, true);
  if (isSeq(node)) {
    if (!node.items.some((item) => (item as { value?: unknown }).value === value)) node.add(doc.createNode(value));
    return;
  }
  const seq = doc.createNode([value], { flow: true });
  doc.set(key, seq);
}

async function gitUserName(root: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['config', 'user.name'], { cwd: root });
    return stdout.trim() || 'architecture owners';
  } catch {
    return 'architecture owners';
  }
}

type TemplateFields = { title: string; date: string; makers: string[]; supersedes: number | undefined; predecessorLink: string };

function frontMatter(t: TemplateFields): string {
  const yamlList = (items: string[]) => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
  return `---
status: proposed
date: ${t.date}
decision-makers: ${yamlList(t.makers)}
${t.supersedes !== undefined ? `supersedes: [${t.supersedes}]\n` : ''}modules: []
confirmation: []
---
`;
}

/** The repository's template.md with its placeholders filled; archfit's front matter unless it brings its own. */
function fromRepositoryTemplate(text: string, number: number, t: TemplateFields): string {
  const filled = text
    .replace(/\bNUMBER\b/g, String(number))
    .replace(/\bTITLE\b/g, t.title)
    .replace(/\bDATE\b/g, t.date)
    .replace(/\bSTATUS\b/g, 'Proposed');
  const body = filled.startsWith('---') ? filled : `${frontMatter(t)}\n${filled}`;
  return `${body}${t.predecessorLink}`;
}

function template(t: TemplateFields): string {
  return `${frontMatter(t).replace(/---\n$/, 'revisit-triggers: []\n---\n')}
# ${t.title}

## Context and Problem Statement

Describe the situation and the question this record answers, in two or three sentences.

## Decision Drivers

- The force that matters most.

## Considered Options

- The first option.
- The second option.

## Decision Outcome

Chosen option: "the first option", because it meets the drivers best.

### Consequences

- Good, because of what it makes easier.
- Bad, because of what it costs.

### Confirmation

List the fitness rule ids or load thresholds (\`<scenario>:<threshold-id>\`) that check this
decision under \`confirmation\` in the front matter.

## Pros and Cons of the Options

### The first option

- Good, because of its main advantage.
- Bad, because of its main drawback.

### The second option

- Good, because of its main advantage.
- Bad, because of its main drawback.

## More Information
${t.predecessorLink}
Revisit triggers belong in the front matter (\`revisit-triggers\`), one entry per measurable
assumption, so \`archfit triggers\` can tell when this decision needs another look.
`;
}
