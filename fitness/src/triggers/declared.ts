import { Value } from '@sinclair/typebox/value';
import { loadAdrCollection } from '../adr/collection.js';
import type { AdrRecord } from '../adr/parse.js';
import { RevisitTriggerSchema, type RevisitTrigger } from '../adr/schema.js';

/** A revisit trigger together with the record that declares it. */
export interface DeclaredTrigger {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  /** 1-based line of the trigger's `id` in the ADR file. */
  line: number;
}

export interface DeclaredTriggers {
  triggers: DeclaredTrigger[];
  records: AdrRecord[];
  /** Input that makes the evaluation meaningless (exit 2): unreadable ADRs, malformed or duplicate triggers. */
  problems: string[];
}

/**
 * Reads every ADR's `revisit-triggers`. Only the trigger entries are checked here; the rest of
 * the front matter is the ADR lint's business (`adr-valid`), so one bad date elsewhere does not
 * hide a fired trigger.
 */
export async function collectTriggers(root: string, adrDir: string): Promise<DeclaredTriggers> {
  const collection = await loadAdrCollection(root, adrDir);
  const problems = collection.unreadable.map((e) => e.message);
  const triggers: DeclaredTrigger[] = [];
  const seen = new Map<string, string>();
  for (const record of collection.records) {
    const list = (record.data as Record<string, unknown> | undefined)?.['revisit-triggers'];
    if (list === undefined) continue;
    if (record.number === undefined) {
      problems.push(`${record.file}: declares revisit triggers but its name is not NNNN-slug.md, so nothing can refer to it`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`${record.file}:${record.lineOf(['revisit-triggers'])}: revisit-triggers must be a list`);
      continue;
    }
    list.forEach((item: unknown, i) => {
      const line = record.lineOf(['revisit-triggers', i, 'id']);
      const error = Value.Errors(RevisitTriggerSchema, item).First();
      if (error) {
        problems.push(`${record.file}:${line}: revisit trigger #${i + 1} is malformed at ${error.path || '/'}: ${error.message}`);
        return;
      }
      const trigger = item as RevisitTrigger;
      const other = seen.get(trigger.id);
      if (other) {
        problems.push(`${record.file}:${line}: trigger id ${trigger.id} is already declared in ${other}; ids are unique across all ADRs`);
        return;
      }
      seen.set(trigger.id, record.file);
      triggers.push({ trigger, adr: record.number!, adrFile: record.file, line });
    });
  }
  return { triggers, records: collection.records, problems };
}
