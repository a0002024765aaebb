import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AdrReadError, readAdr, type AdrRecord } from './parse.js';
import { TEMPLATE_FILE } from './template.js';

/** Every Markdown file in the ADR directory except the generated index and the repository's template. */
export const INDEX_FILE = 'README.md';

export interface AdrCollection {
  /** Repository-relative ADR directory. */
  dir: string;
  records: AdrRecord[];
  /** Files that could not be read or parsed: their problems make the lint exit 2. */
  unreadable: AdrReadError[];
}

/** Reads the records in `<root>/<dir>`, sorted by file name. A missing directory throws AdrReadError. */
export async function loadAdrCollection(root: string, dir: string): Promise<AdrCollection> {
  const abs = path.resolve(root, dir);
  const rel = path.relative(root, abs).split(path.sep).join('/') || '.';
  let names: string[];
  try {
    names = (await readdir(abs, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name !== INDEX_FILE && e.name !== TEMPLATE_FILE)
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw new AdrReadError(rel, 1, `cannot read the ADR directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const records: AdrRecord[] = [];
  const unreadable: AdrReadError[] = [];
  for (const name of names) {
    try {
      records.push(await readAdr(path.join(abs, name), root));
    } catch (err) {
      if (err instanceof AdrReadError) unreadable.push(err);
      else throw err;
    }
  }
  return { dir: rel, records, unreadable };
}
