import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';

/** The file name every record must have: four digits, a dash, a kebab-case slug. */
export const ADR_FILE_PATTERN = /^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/** With `adr.naming: date`: an ISO date, a dash, a kebab-case slug (log4brains' convention). */
export const ADR_DATE_FILE_PATTERN = /^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/** A record as read from disk, before any check: lint decides what is wrong with it. */
export interface AdrRecord {
  /** Path relative to the repository root, with forward slashes (what findings print). */
  file: string;
  fileName: string;
  /** From the file name; undefined when the name does not follow NNNN-slug.md. */
  number: number | undefined;
  slug: string | undefined;
  /** The first H1 of the body, without the `# `. */
  title: string | undefined;
  titleLine: number;
  /** The parsed front matter as plain data; undefined when the file has no front matter block. */
  data: unknown;
  /** The YAML document, kept to edit a record without losing its comments and layout. */
  doc: Document | undefined;
  /** File line of a front-matter path (falls back to the nearest existing parent). */
  lineOf(yamlPath: ReadonlyArray<string | number>): number;
  /** Text after the closing `---` (the Markdown body). */
  body: string;
  /** The whole file text. */
  text: string;
}

/** A record that cannot be read at all: the lint exits 2 on these, not 1. */
export class AdrReadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'AdrReadError';
  }
}

/** Converts a title to the slug its file name must carry. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function formatNumber(n: number): string {
  return String(n).padStart(4, '0');
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Parses one record's text. Throws AdrReadError when its YAML cannot be parsed. */
export function parseAdr(text: string, file: string): AdrRecord {
  const fileName = path.posix.basename(file);
  const nameMatch = ADR_FILE_PATTERN.exec(fileName);
  const fm = FRONT_MATTER.exec(text);
  let doc: Document | undefined;
  let data: unknown;
  const lineCounter = new LineCounter();
  if (fm) {
    doc = parseDocument(fm[1] ?? '', { lineCounter, prettyErrors: false, uniqueKeys: true });
    const firstError = doc.errors[0];
    if (firstError) {
      const yamlLine = lineCounter.linePos(firstError.pos[0]).line;
      throw new AdrReadError(file, yamlLine + 1, `front matter is not valid YAML: ${firstError.message.split('\n')[0]}`);
    }
    data = doc.toJS();
  }
  const bodyStart = fm ? fm[0].length : 0;
  const bodyStartLine = fm ? fm[0].split('\n').length - (fm[0].endsWith('\n') ? 1 : 0) + 1 : 1;
  const body = text.slice(bodyStart);
  const { title, line: titleLine } = findTitle(body, bodyStartLine);

  const lineOf = (yamlPath: ReadonlyArray<string | number>): number => {
    if (!doc) return 1;
    for (let len = yamlPath.length; len > 0; len--) {
      const node = doc.getIn(yamlPath.slice(0, len), true) as { range?: [number, number, number] } | undefined;
      // A key whose value is null has no node; the pair's key still has a position.
      const pos = node?.range?.[0] ?? keyOffset(doc, yamlPath.slice(0, len));
      if (pos !== undefined) return lineCounter.linePos(pos).line + 1;
    }
    return 1;
  };

  return {
    file,
    fileName,
    number: nameMatch ? Number(nameMatch[1]) : undefined,
    slug: nameMatch?.[2],
    title,
    titleLine,
    data,
    doc,
    lineOf,
    body,
    text,
  };
}

function keyOffset(doc: Document, yamlPath: ReadonlyArray<string | number>): number | undefined {
  const parent = yamlPath.length === 1 ? doc.contents : doc.getIn(yamlPath.slice(0, -1), true);
  const key = yamlPath[yamlPath.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    return (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
  }
  return undefined;
}

function findTitle(body: string, firstLine: number): { title: string | undefined; line: number } {
  const lines = body.split(/\r?\n/);
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const m = /^#\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) return { title: m[1], line: firstLine + i };
  }
  return { title: undefined, line: firstLine };
}

/** Reads and parses one record from disk. */
export async function readAdr(absPath: string, root: string): Promise<AdrRecord> {
  const file = path.relative(root, absPath).split(path.sep).join('/');
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (err) {
    throw new AdrReadError(file, 1, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseAdr(text, file);
}
