import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { EvidenceSchema, type Evidence } from './evidence-schema.js';

/** Evidence files are `<scenario>-<timestamp>.json`; the timestamp sorts lexically. */
const EVIDENCE_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)-(\d{8}T\d{6}(?:\d{3})?Z)\.json$/;

export type EvidenceRead =
  | { ok: true; file: string; evidence: Evidence }
  | { ok: false; file: string; reason: string };

/** Parses and validates one evidence file; never throws for bad content (that is an `invalid` status). */
export async function readEvidence(root: string, file: string): Promise<EvidenceRead> {
  let text: string;
  try {
    text = await readFile(path.resolve(root, file), 'utf8');
  } catch (err) {
    return { ok: false, file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, file, reason: `not JSON: ${(err as Error).message}` };
  }
  const first = Value.Errors(EvidenceSchema, data).First();
  if (first) return { ok: false, file, reason: `does not match the evidence schema at ${first.path || '/'}: ${first.message}` };
  const ev = data as Evidence;
  if (ev.schemaVersion >= 2 && !ev.quality) return { ok: false, file, reason: 'does not match the evidence schema at /quality: schemaVersion 2 requires it' };
  return { ok: true, file, evidence: data as Evidence };
}

/**
 * The evidence files of one scenario, newest first (by the timestamp in the name, which the
 * writer takes from the run's finish time). `resultsDir` is repo-relative; so are the paths returned.
 */
export async function listEvidenceFiles(root: string, resultsDir: string, scenario: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.resolve(root, resultsDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((name) => ({ name, m: EVIDENCE_FILE.exec(name) }))
    .filter((e) => e.m?.[1] === scenario)
    .sort((a, b) => (b.m![2]! < a.m![2]! ? -1 : 1))
    .map((e) => path.posix.join(resultsDir.split(path.sep).join('/'), e.name));
}

/** `20261123T110203123Z` for a Date: the file-name form of an ISO timestamp. */
export function evidenceTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}
