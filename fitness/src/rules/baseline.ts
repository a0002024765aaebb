import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors.js';
import { keyString, violationKeys } from './identity.js';
import type { Violation } from './types.js';

/**
 * One recorded violation, matched by identity (rule, file, from, to, occurrence; see
 * identity.ts), never by message or line, so moving code or editing the config does not churn
 * it. `message` is kept for the humans reading the file. An entry without `occurrence` is a
 * schemaVersion 1 entry (matched by its message) awaiting migration.
 */
export interface BaselineEntry {
  rule: string;
  file: string;
  from?: string;
  to?: string;
  occurrence?: number;
  message: string;
}

export interface BaselineFile {
  schemaVersion: 1 | 2;
  entries: BaselineEntry[];
}

const legacyIdentity = (e: { rule: string; file: string; message: string }) => `${e.rule}\u0000${e.file}\u0000${e.message}`;
const isLegacy = (e: BaselineEntry) => typeof e.occurrence !== 'number';
const entryIdentity = (e: BaselineEntry) =>
  keyString({ rule: e.rule, file: e.rule === 'no-module-cycle' ? '' : e.file, from: e.from ?? '', to: e.to ?? '', occurrence: e.occurrence ?? 0 });

export function readBaseline(root: string, rel: string): BaselineEntry[] | undefined {
  const file = path.join(root, rel);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;
    if ((data.schemaVersion !== 1 && data.schemaVersion !== 2) || !Array.isArray(data.entries)) {
      throw new Error('not an archfit baseline (schemaVersion 1 or 2)');
    }
    for (const [i, e] of data.entries.entries()) {
      if (typeof e?.rule !== 'string' || typeof e.file !== 'string') throw new Error(`entries[${i}] lacks rule or file`);
      if (isLegacy(e) && typeof e.message !== 'string') throw new Error(`entries[${i}] has neither occurrence nor message`);
    }
    return data.entries;
  } catch (err) {
    throw new ConfigError(`cannot read baseline ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'baseline');
  }
}

/** Today's violations as baseline entries (schemaVersion 2), sorted so the file diffs cleanly. */
export function baselineEntries(violations: readonly Violation[], keys = violationKeys(violations)): BaselineEntry[] {
  return violations
    .map((v, i) => {
      const entry: BaselineEntry = { rule: v.rule, file: v.file, message: v.message };
      if (v.from !== undefined) entry.from = v.from;
      if (v.to !== undefined) entry.to = v.to;
      // Key order in the file: rule, file, from, to, occurrence, message.
      const { message, ...key } = entry;
      return { ...key, occurrence: keys[i]!.occurrence, message };
    })
    .sort((a, b) => entryIdentity(a).localeCompare(entryIdentity(b)) || a.file.localeCompare(b.file));
}

export function writeBaselineEntries(root: string, rel: string, entries: BaselineEntry[]): void {
  const data: BaselineFile = { schemaVersion: 2, entries };
  writeFileSync(path.join(root, rel), `${JSON.stringify(data, null, 2)}\n`);
}

/** Writes today's violations as the baseline. */
export function writeBaseline(root: string, rel: string, violations: Violation[]): BaselineEntry[] {
  const entries = baselineEntries(violations);
  writeBaselineEntries(root, rel, entries);
  return entries;
}

export interface BaselineOutcome {
  fresh: Violation[];
  known: Violation[];
  /** Entries matching nothing: they fail the run until the baseline is updated. */
  stale: BaselineEntry[];
  /**
   * Set when schemaVersion 1 entries matched today's violations: the whole baseline rekeyed
   * (matched entries by identity, unmatched ones kept as they were, still stale).
   */
  migrated?: BaselineEntry[];
}

/**
 * Violations whose identity is in the baseline are known; entries matching nothing are stale
 * and fail the run until the baseline is updated, so the committed baseline only ever shrinks.
 * Old entries (schemaVersion 1, keyed on message text) still match by message; the caller may
 * write `migrated` back so later config edits that change messages cannot unmatch them.
 */
export function applyBaseline(violations: Violation[], entries: BaselineEntry[]): BaselineOutcome {
  const byIdentity = new Map<string, BaselineEntry>();
  const legacy = new Map<string, BaselineEntry[]>();
  for (const e of entries) {
    if (isLegacy(e)) {
      const id = legacyIdentity(e);
      if (!legacy.has(id)) legacy.set(id, []);
      legacy.get(id)!.push(e);
    } else byIdentity.set(entryIdentity(e), e);
  }
  const keys = violationKeys(violations);
  const fresh: Violation[] = [];
  const known: Violation[] = [];
  const knownKeys: typeof keys = [];
  let migratedAny = false;
  violations.forEach((v, i) => {
    const id = keyString(keys[i]!);
    if (byIdentity.has(id)) {
      byIdentity.delete(id);
      known.push(v);
      knownKeys.push(keys[i]!);
      return;
    }
    const bucket = legacy.get(legacyIdentity(v));
    if (bucket && bucket.length > 0) {
      bucket.pop();
      migratedAny = true;
      known.push(v);
      knownKeys.push(keys[i]!);
      return;
    }
    fresh.push(v);
  });
  const stale = [...byIdentity.values(), ...[...legacy.values()].flat()];
  const outcome: BaselineOutcome = { fresh, known, stale };
  if (migratedAny) {
    const kept = new Set(stale);
    outcome.migrated = [...baselineEntries(known, knownKeys), ...entries.filter((e) => kept.has(e))];
  }
  return outcome;
}
