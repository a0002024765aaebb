import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parse as parseCsv } from 'csv-parse/sync';
import { ScenarioError } from '../scenarios/load-scenario.js';
import { ComputeScenarioSchema, ContentionScenarioSchema, DauScenarioSchema, ModuleCostScenarioSchema, HttpMixScenarioSchema, NotificationLagScenarioSchema, type AnyScenario, type HttpMixScenario } from '../scenarios/schema.js';
import type { MixData } from './http-mix-stream.js';
import { assertLoopback } from './loopback.js';

const byKind = { dau: DauScenarioSchema, 'write-contention': ContentionScenarioSchema, 'compute-latency': ComputeScenarioSchema, 'module-cost': ModuleCostScenarioSchema, 'notification-lag': NotificationLagScenarioSchema, 'http-mix': HttpMixScenarioSchema } as const;

export interface DefinitionFile {
  scenario: AnyScenario;
  /** `sha256:` of the file's bytes, as the evidence records it. */
  hash: string;
  file: string;
}

/** Reads and validates a definition file of any kind, by path (what users pass to `archfit load`). */
export async function readDefinitionFile(file: string): Promise<DefinitionFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(`cannot read the definition ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const kind = (data as { kind?: string } | null)?.kind;
  const schema = byKind[kind as keyof typeof byKind];
  if (!schema) throw new ScenarioError(`${file}: kind must be one of ${Object.keys(byKind).join(', ')}, got ${JSON.stringify(kind)}`);
  const first = Value.Errors(schema, data).First();
  if (first) throw new ScenarioError(`${file}: ${first.path || '/'}: ${first.message}`);
  const scenario = data as AnyScenario;
  const expectedName = `${scenario.id}.json`;
  if (path.basename(file) !== expectedName) throw new ScenarioError(`${file}: id is ${scenario.id}, so the file must be named ${expectedName} (evidence and ADR triggers find the scenario by that name)`);
  return { scenario, hash: `sha256:${createHash('sha256').update(text).digest('hex')}`, file };
}

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_]*)(?:\.([a-zA-Z0-9_]+))?\}/g;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * Reads the CSV fills (relative to the definition) and checks every placeholder before a request
 * is sent: an unknown fill, a CSV column that does not exist or an unset `{env.X}` is bad input.
 */
export async function loadMixData(def: HttpMixScenario, definitionFile: string, env: Record<string, string | undefined> = process.env): Promise<MixData> {
  const csv: MixData['csv'] = {};
  const columns: Record<string, Set<string>> = {};
  for (const [name, fill] of Object.entries(def.fills ?? {})) {
    if (fill.type === 'int' && fill.max < fill.min) throw new ScenarioError(`${definitionFile}: fill ${name} has max ${fill.max} below min ${fill.min}`);
    if (fill.type !== 'csv') continue;
    const file = path.resolve(path.dirname(definitionFile), fill.file);
    let rows: Array<Record<string, string>>;
    try {
      rows = parseCsv(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
    } catch (err) {
      throw new ScenarioError(`${definitionFile}: fill ${name}: cannot read CSV ${file}: ${(err as Error).message}`);
    }
    if (!rows.length) throw new ScenarioError(`${definitionFile}: fill ${name}: ${file} has a header but no rows`);
    csv[name] = rows;
    columns[name] = new Set(Object.keys(rows[0]!));
  }
  const needed: Record<string, string> = {};
  for (const t of def.requests) {
    for (const s of strings([t.path, t.headers ?? {}, t.body ?? null, def.headers ?? {}])) {
      for (const m of s.matchAll(PLACEHOLDER)) {
        const [whole, head, tail] = m as unknown as [string, string, string | undefined];
        if (head === 'n' && !tail) continue;
        if (head === 'env') {
          if (!tail) throw new ScenarioError(`${definitionFile}: request ${t.name}: ${whole} needs a variable name, e.g. {env.API_TOKEN}`);
          needed[tail] = t.name;
          continue;
        }
        const fill = def.fills?.[head];
        if (!fill) throw new ScenarioError(`${definitionFile}: request ${t.name}: ${whole} names no fill (fills: ${Object.keys(def.fills ?? {}).join(', ') || 'none'})`);
        if (fill.type === 'csv' && !tail) throw new ScenarioError(`${definitionFile}: request ${t.name}: ${whole} is a CSV row; name a column, e.g. {${head}.${[...columns[head]!][0]}}`);
        if (fill.type === 'csv' && !columns[head]!.has(tail!)) throw new ScenarioError(`${definitionFile}: request ${t.name}: ${whole}: the CSV has no column ${tail} (columns: ${[...columns[head]!].join(', ')})`);
        if (fill.type !== 'csv' && tail) throw new ScenarioError(`${definitionFile}: request ${t.name}: ${whole}: fill ${head} is not a CSV row`);
      }
    }
  }
  const unset = Object.keys(needed).filter((k) => env[k] === undefined);
  if (unset.length) throw new ScenarioError(`${definitionFile}: environment variable${unset.length > 1 ? 's' : ''} ${unset.join(', ')} not set (used by request ${needed[unset[0]!]})`);
  return { csv, env: Object.fromEntries(Object.keys(needed).map((k) => [k, env[k]])) };
}

/**
 * The URL load goes to: `--target`, else the definition's baseUrl. Loopback only, unless the
 * host was named on the command line with `--allow-host`, so a definition copied from a
 * colleague can never point a run at a shared or production host by itself.
 */
export function resolveTarget(def: { baseUrl: string }, opts: { target?: string; allowHost?: string }): { url: string; remote: boolean } {
  const raw = opts.target ?? def.baseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ScenarioError(`not a URL: ${JSON.stringify(raw)} (expected e.g. http://127.0.0.1:3000)`);
  }
  if (opts.allowHost !== undefined) {
    if (url.hostname !== opts.allowHost) throw new ScenarioError(`--allow-host ${opts.allowHost} does not match the target's host ${url.hostname}`);
    return { url: url.origin, remote: true };
  }
  try {
    return { url: assertLoopback(url.origin).origin, remote: false };
  } catch (err) {
    throw new ScenarioError(`${(err as Error).message}. To load a host you own on purpose, name it: --allow-host ${url.hostname}`);
  }
}
