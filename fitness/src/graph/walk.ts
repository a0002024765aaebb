import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

/**
 * One test for a list of globs: picomatch's regular expressions joined into a single one.
 * picomatch given an array tries each pattern's matcher in turn; on a 5,000-file walk against
 * the eleven default excludes the joined expression took 7 ms where the array took 16.
 */
export function anyGlob(globs: readonly string[], options: picomatch.PicomatchOptions = {}): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const joined = new RegExp(globs.map((g) => `(?:${picomatch.makeRe(g, options).source})`).join('|'));
  // picomatch also matches a path equal to the glob's text (`app/[id].ts` names that file).
  const literal = new Set(globs);
  return (file) => literal.has(file) || joined.test(file);
}

/** The folder a glob can match nothing outside of (`src/modules/*` -> `src/modules`; `**` -> `.`). */
export function globBase(glob: string): string {
  return picomatch.scan(glob).base || '.';
}

export interface WalkOptions {
  /** Descend into this folder (repo-relative)? node_modules and .git never are. */
  descend(rel: string): boolean;
  /** Keep this file (repo-relative; `name` is its last segment)? */
  keep(rel: string, name: string): boolean;
}

/**
 * Repo-relative files under each base, sorted: a plain directory walk that prunes folders
 * before descending, several times cheaper than a general glob on a large tree. Symlinks to
 * files are kept (a dangling one is the caller's to report); symlinked folders are not
 * followed, so a link cycle cannot loop. A base that does not exist matches nothing.
 */
export function walkFiles(root: string, bases: readonly string[], options: WalkOptions): string[] {
  const out = new Set<string>();
  for (const base of new Set(bases)) {
    const stack = [base];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(path.join(root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== '.git' && options.descend(rel)) stack.push(rel);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && options.keep(rel, entry.name)) {
          out.add(rel);
        }
      }
    }
  }
  return [...out].sort();
}
