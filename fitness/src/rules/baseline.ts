import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { Violation } from './types.js';

/** One recorded violation. No line numbers: moving code must not churn the baseline. */
export interface BaselineEntry {
  rule: string;
  file: string;
  message: string;
}

export interface BaselineFile {
  schemaVersion: 1;
  entries: BaselineEntry[];
}

const identity = (e: BaselineEntry) => `${e.rule}\u0000${e.file}\u0000${e.message}`;

export function readBaseline(root: string, rel: string): BaselineEntry[] | undefined {
  const file = path.join(root, rel);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;
    if (data.schemaVersion !== 1 || !Array.isArray(data.entries)) throw new Error('not an archfit baseline (schemaVersion 1)');
    return data.entries;
  } catch (err) {
    throw new ConfigError(`cannot read baseline ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'baseline');
  }
}

/** Writes today's violations, sorted, so the committed file diffs cleanly. */
export function writeBaseline(root: string, rel: string, violations: Violation[]): BaselineEntry[] {
  const entries = violations
    .map((v) => ({ rule: v.rule, file: v.file, message: v.message }))
    .sort((a, b) => identity(a).localeCompare(identity(b)));
  const data: BaselineFile = { schemaVersion: 1, entries };
  writeFileSync(path.join(root, rel), `${JSON.stringify(data, null, 2)}\n`);
  return entries;
}

/**
 * Violations matching a baseline entry (as a multiset: two identical violations need two
 * entries) are known; entries matching nothing are stale and fail the run until the baseline
 * is updated, so the committed baseline only ever shrinks.
 */
export function applyBaseline(violations: Violation[], entries: BaselineEntry[]): { fresh: Violation[]; known: Violation[]; stale: BaselineEntry[] } {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of entries) {
    const id = identity(e);
    if (!remaining.has(id)) remaining.set(id, []);
    remaining.get(id)!.push(e);
  }
  const fresh: Violation[] = [];
  const known: Violation[] = [];
  for (const v of violations) {
    const bucket = remaining.get(identity(v));
    if (bucket && bucket.length > 0) {
      bucket.pop();
      known.push(v);
    } else fresh.push(v);
  }
  return { fresh, known, stale: [...remaining.values()].flat() };
}
