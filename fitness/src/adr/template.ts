import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The sections every record of a repository must have. A repository states its own template
 * by committing `<adr dir>/template.md`: its level-2 headings are the required sections,
 * except those whose guidance text calls them optional (MADR's "This is an optional
 * element"). Without a template file, MADR 4's mandatory sections apply.
 */

export const TEMPLATE_FILE = 'template.md';

/** MADR 4's mandatory sections (the minimal template keeps exactly these). */
export const MADR_REQUIRED_SECTIONS = ['Context and Problem Statement', 'Considered Options', 'Decision Outcome'] as const;

/** Michael Nygard's sections, as adr-tools writes them. */
export const NYGARD_SECTIONS = ['Status', 'Context', 'Decision', 'Consequences'] as const;

export interface RecordTemplate {
  /** Repository-relative template file, or undefined for the built-in MADR set. */
  file: string | undefined;
  /** Level-2 headings a record must have, in template order. */
  required: string[];
  /** The template text, for `adr new`; undefined for the built-in template. */
  text: string | undefined;
}

/** The level-2 headings of a Markdown text and whether the text under each calls it optional. */
export function headingsOf(markdown: string): Array<{ title: string; optional: boolean; line: number }> {
  const lines = markdown.split(/\r?\n/);
  const out: Array<{ title: string; optional: boolean; line: number }> = [];
  let inFence = false;
  // Guidance under a sub-heading (MADR's optional "### Consequences") is about that sub-section.
  let inSubsection = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h2) {
      out.push({ title: h2[1]!, optional: false, line: i + 1 });
      inSubsection = false;
      continue;
    }
    if (/^###/.test(line)) inSubsection = true;
    const current = out[out.length - 1];
    if (current && !inSubsection && /\boptional\b/i.test(line)) current.optional = true;
  }
  return out;
}

/** Normalised heading text, so "Decision outcome" and "Decision Outcome" are the same section. */
export function sectionKey(title: string): string {
  return title.toLowerCase().replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}

/** Reads `<dir>/template.md` when present; otherwise the MADR 4 mandatory sections. */
export async function loadRecordTemplate(root: string, dir: string): Promise<RecordTemplate> {
  const rel = path.posix.join(dir.split(path.sep).join('/'), TEMPLATE_FILE);
  let text: string;
  try {
    text = await readFile(path.resolve(root, dir, TEMPLATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file: undefined, required: [...MADR_REQUIRED_SECTIONS], text: undefined };
    throw err;
  }
  const required = headingsOf(stripFrontMatter(text)).filter((h) => !h.optional).map((h) => h.title);
  return { file: rel, required, text };
}

function stripFrontMatter(text: string): string {
  return text.replace(/^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');
}
