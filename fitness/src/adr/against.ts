import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AdrFinding } from './lint.js';
import { ADR_FILE_PATTERN, formatNumber, type AdrRecord } from './parse.js';

const run = promisify(execFile);

/** The ref could not be read (no git, unknown ref): bad input, exit 2. */
export class GitRefError extends Error {
  override name = 'GitRefError';
}

/** Record file names present in the ADR directory on `ref`, by number. */
export async function adrNamesOnRef(root: string, dir: string, ref: string): Promise<Map<number, string[]>> {
  const absDir = path.resolve(root, dir);
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root });
  } catch {
    throw new GitRefError(`"${ref}" is not a commit in the git repository at ${root}`);
  }
  let stdout: string;
  try {
    // `--` keeps the path apart from the ref. Run inside the directory: ls-tree then lists that directory's entries on the ref.
    ({ stdout } = await run('git', ['ls-tree', '--name-only', '-z', ref, '--', '.'], { cwd: absDir, maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    throw new GitRefError(`git ls-tree ${ref} failed in ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
  const byNumber = new Map<number, string[]>();
  for (const entry of stdout.split('\0').filter(Boolean)) {
    const name = path.posix.basename(entry);
    const match = ADR_FILE_PATTERN.exec(name) ?? /^(\d{4})-.*\.md$/.exec(name);
    if (!match) continue;
    const n = Number(match[1]);
    byNumber.set(n, [...(byNumber.get(n) ?? []), name]);
  }
  return byNumber;
}

/**
 * Two branches that each add "the next number" merge without a conflict, because git sees
 * two different new files. Comparing with the target branch catches it before the merge:
 * a record whose number exists on `ref` under another file name must take a new number.
 */
export async function checkAgainstRef(root: string, dir: string, ref: string, records: AdrRecord[]): Promise<AdrFinding[]> {
  const onRef = await adrNamesOnRef(root, dir, ref);
  // A file that already existed where this branch left `ref` was renamed here (a retitled
  // record), not taken by someone else: only names added on `ref` since then can collide.
  const base = await mergeBase(root, ref);
  const atBase = base ? await adrNamesOnRef(root, dir, base) : new Map<number, string[]>();
  const next = Math.max(0, ...onRef.keys(), ...records.map((r) => r.number ?? 0)) + 1;
  const findings: AdrFinding[] = [];
  for (const record of records) {
    if (record.number === undefined) continue;
    const inherited = atBase.get(record.number) ?? [];
    const names = onRef.get(record.number)?.filter((name) => !inherited.includes(name));
    if (!names?.length || onRef.get(record.number)!.includes(record.fileName)) continue;
    findings.push({
      code: 'number-taken-on-ref',
      file: record.file,
      line: 1,
      message: `number ${formatNumber(record.number)} is already ${names.join(', ')} on ${ref}`,
      fix: `Renumber this record to ${formatNumber(next)}: rename the file and update the links that point at it.`,
    });
  }
  return findings;
}

/** Where HEAD and `ref` diverged; undefined when there is no common history (or no HEAD yet). */
async function mergeBase(root: string, ref: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['merge-base', 'HEAD', ref], { cwd: root });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
