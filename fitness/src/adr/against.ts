import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AdrFinding } from './lint.js';
import { ADR_FILE_PATTERN, AdrReadError, formatNumber, parseAdr, type AdrRecord } from './parse.js';

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
  const findings: AdrFinding[] = await checkAcceptedUnchanged(root, dir, ref, records, { onRef, atBase });
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

/** Links a later record adds to an accepted one: gaining one of them is what permits an edit. */
const INVERSE_LINKS = ['superseded-by', 'amended-by', 'revisited-by', 'clarified-by'] as const;
/** Statuses an accepted record may move to without a rewrite (the record stays as it was decided). */
const RETIRED = new Set(['superseded', 'deprecated']);

type FrontMatter = Record<string, unknown>;
const asObject = (data: unknown): FrontMatter => (data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as FrontMatter) : {});
const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null ? Number((x as { adr?: unknown }).adr) : Number(x))) : []);
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => a.localeCompare(b))) : x));
/** Reflowing a paragraph is not an edit: runs of whitespace compare equal. */
const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * What changed in an accepted record between `before` (on the ref) and `after` (the tree),
 * leaving out what later records legitimately change: their inverse links, a move to
 * superseded or deprecated with its date, and confirmations added (a new check, nothing removed).
 * Empty when nothing that was decided changed.
 */
export function acceptedRecordChanges(before: AdrRecord, after: AdrRecord): string[] {
  const was = asObject(before.data);
  const now = asObject(after.data);
  const changed: string[] = [];
  if (words(before.body) !== words(after.body)) changed.push('the body');
  const retired = now.status !== was.status && RETIRED.has(String(now.status));
  for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
    if ((INVERSE_LINKS as readonly string[]).includes(key)) continue;
    if ((key === 'status' || key === 'date') && retired) continue;
    if (key === 'confirmation') {
      const kept = new Set((Array.isArray(now[key]) ? (now[key] as unknown[]) : []).map(canonical));
      if ((Array.isArray(was[key]) ? (was[key] as unknown[]) : []).every((c) => kept.has(canonical(c)))) continue;
    }
    if (canonical(was[key]) !== canonical(now[key])) changed.push(`\`${key}\``);
  }
  return changed;
}

/** The numbers of the records that newly link to this one (amend, clarify, revisit or supersede it). */
function newLinks(before: AdrRecord, after: AdrRecord): number[] {
  const was = asObject(before.data);
  const now = asObject(after.data);
  return INVERSE_LINKS.flatMap((key) => numbers(now[key]).filter((n) => !numbers(was[key]).includes(n)));
}

/**
 * An accepted record is not rewritten: what was decided stays readable as it was decided, and a
 * change of mind is a new record that amends, clarifies, revisits or supersedes it. A record
 * accepted on `ref` whose body or decision-bearing front matter differs in the tree is a finding,
 * unless the same change gives it a new inverse link (the record that explains the edit).
 */
export async function checkAcceptedUnchanged(root: string, dir: string, ref: string, records: AdrRecord[], known: { onRef?: Map<number, string[]>; atBase?: Map<number, string[]> } = {}): Promise<AdrFinding[]> {
  const names = known.onRef ?? (await adrNamesOnRef(root, dir, ref));
  const absDir = path.resolve(root, dir);
  const findings: AdrFinding[] = [];
  for (const record of records) {
    if (record.number === undefined) continue;
    // The same file on the ref, or the one this branch renamed (it was there where the branch left
    // the ref); a number taken on the ref by another record is the collision check's business.
    const candidates = names.get(record.number) ?? [];
    const renamed = candidates.length === 1 && known.atBase?.get(record.number)?.includes(candidates[0]!) ? candidates[0] : undefined;
    const name = candidates.includes(record.fileName) ? record.fileName : renamed;
    if (!name) continue;
    let before: AdrRecord;
    try {
      const { stdout } = await run('git', ['show', `${ref}:./${name}`], { cwd: absDir, maxBuffer: 16 * 1024 * 1024 });
      before = parseAdr(stdout, path.posix.join(dir.split(path.sep).join('/'), name));
    } catch (err) {
      // A record the ref cannot parse was never a readable accepted decision there.
      if (err instanceof AdrReadError) continue;
      throw new GitRefError(`git show ${ref}:${name} failed in ${dir}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (asObject(before.data).status !== 'accepted') continue;
    const changes = acceptedRecordChanges(before, record);
    if (!changes.length || newLinks(before, record).length) continue;
    findings.push({
      code: 'accepted-record-edited',
      file: record.file,
      line: changes[0] === 'the body' ? record.titleLine : record.lineOf([changes[0]!.slice(1, -1)]),
      message: `${formatNumber(record.number)} was accepted on ${ref} and ${changes.join(', ')} changed since, with no new record that amends, clarifies, revisits or supersedes it`,
      fix: `Accepted decisions are not rewritten: revert the edit, and say what changed in a new record with \`amends: [${record.number}]\` (or supersedes/revisits/clarifies) and the inverse link here.`,
    });
  }
  return findings;
}
