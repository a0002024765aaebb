import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AdrCreateError } from './create.js';
import { loadAdrCollection } from './collection.js';
import { NYGARD_SECTIONS, TEMPLATE_FILE } from './template.js';
import { renderIndex } from './views.js';

export interface InitAdrOptions {
  root: string;
  /** Repository-relative ADR directory. */
  dir: string;
  /** `madr` (the built-in MADR 4 sections) or `nygard` (writes a Nygard template.md). */
  template?: 'madr' | 'nygard';
  date?: string;
  decisionMakers?: string[];
}

export interface InitializedAdrs {
  /** Repository-relative paths written. */
  written: string[];
}

/** The Nygard template adr-tools writes, with archfit's front matter kept by `adr new`. */
export const NYGARD_TEMPLATE = `# NUMBER. TITLE

${NYGARD_SECTIONS.map((s) => `## ${s}\n\n${s === 'Status' ? 'STATUS' : `The ${s.toLowerCase()}.`}\n`).join('\n')}`;

/**
 * Starts a decision log: the directory, its first record (to keep records, and how they are
 * checked), the index and, for the Nygard layout, a template.md the lint then honours.
 * Refuses a directory that already holds records, so it never overwrites a log.
 */
export async function initAdrs(options: InitAdrOptions): Promise<InitializedAdrs> {
  const abs = path.resolve(options.root, options.dir);
  await mkdir(abs, { recursive: true });
  const existing = (await readdir(abs)).filter((n) => /^\d{4}-.*\.md$/.test(n));
  if (existing.length > 0) throw new AdrCreateError(`${options.dir} already holds ${existing.length} record(s) (${existing[0]}): nothing to initialise`);
  const rel = (name: string) => path.posix.join(options.dir.split(path.sep).join('/'), name);
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const makers = `[${(options.decisionMakers?.length ? options.decisionMakers : ['architecture owners']).map((m) => JSON.stringify(m)).join(', ')}]`;
  const written: string[] = [];
  const front = `---\nstatus: accepted\ndate: ${date}\ndecision-makers: ${makers}\nconfirmation: [adr-valid]\n---\n`;
  let first: string;
  if (options.template === 'nygard') {
    await writeFile(path.join(abs, TEMPLATE_FILE), NYGARD_TEMPLATE, { flag: 'wx' });
    written.push(rel(TEMPLATE_FILE));
    first = `${front}
# 1. Record architecture decisions

## Status

Accepted

## Context

Decisions about this system's architecture need to be findable and checkable by people who
were not there when they were taken.

## Decision

Each decision is a numbered Markdown record in this directory, with YAML front matter that
\`archfit adr lint\` checks.

## Consequences

A reviewer reads the reasons next to the code; the lint keeps numbers and links honest.
`;
  } else {
    first = `${front}
# Record architecture decisions

## Context and Problem Statement

Decisions about this system's architecture need to be findable and checkable by people who
were not there when they were taken. Where do we keep them, and how do we keep them true?

## Considered Options

- Numbered MADR records with front matter, checked by \`archfit adr lint\`.
- A wiki page per decision.

## Decision Outcome

Chosen option: "numbered MADR records with front matter", because links, statuses,
confirmations and revisit triggers are then data a linter checks, next to the code.

### Confirmation

The \`adr-valid\` rule runs the ADR lint inside \`archfit check\`.
`;
  }
  await writeFile(path.join(abs, '0001-record-architecture-decisions.md'), first, { flag: 'wx' });
  written.push(rel('0001-record-architecture-decisions.md'));
  const { records } = await loadAdrCollection(options.root, options.dir);
  await writeFile(path.join(abs, 'README.md'), renderIndex(records));
  written.push(rel('README.md'));
  return { written };
}
