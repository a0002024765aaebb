import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { ComputeScenarioSchema, ContentionScenarioSchema, DauScenarioSchema, ModuleCostScenarioSchema, NotificationLagScenarioSchema, type Scenario } from './schema.js';

export const SCENARIOS_DIR = path.dirname(fileURLToPath(import.meta.url));

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const byKind = { dau: DauScenarioSchema, 'write-contention': ContentionScenarioSchema, 'compute-latency': ComputeScenarioSchema, 'module-cost': ModuleCostScenarioSchema, 'notification-lag': NotificationLagScenarioSchema } as const;

/** Reads and validates `<dir>/<id>.json`; the hash is of the file's bytes. */
export async function loadScenario(id: string, dir = SCENARIOS_DIR): Promise<{ scenario: Scenario; hash: string; file: string }> {
  const file = path.join(dir, `${id}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ScenarioError(`no scenario ${id}: ${file} does not exist (known: dau, write-contention, compute-latency, notification-lag, module-cost)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const kind = (data as { kind?: string }).kind;
  const schema = byKind[kind as keyof typeof byKind];
  if (!schema) throw new ScenarioError(`${file}: kind must be one of ${Object.keys(byKind).join(', ')}, got ${JSON.stringify(kind)}`);
  const first = Value.Errors(schema, data).First();
  if (first) throw new ScenarioError(`${file}: ${first.path || '/'}: ${first.message}`);
  const scenario = data as Scenario;
  if (scenario.id !== id) throw new ScenarioError(`${file}: id is ${scenario.id}, the file name says ${id}`);
  return { scenario, hash: `sha256:${createHash('sha256').update(text).digest('hex')}`, file };
}
