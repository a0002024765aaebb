import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { ConfigError } from './errors.js';
import { ArchfitConfigSchema, type ArchfitConfig } from './schema.js';

// Kept apart from load.ts: the schema validator is ~250 modules, loaded only when a config
// has to be validated (see readValidated: an unchanged config is not).

/** Validates a config object against the schema; the error names the offending key. */
export function validateConfig(value: unknown): ArchfitConfig {
  if (Value.Check(ArchfitConfigSchema, value)) return value;
  const first = Value.Errors(ArchfitConfigSchema, value).First();
  if (!first) throw new ConfigError('invalid config');
  const error = innermost(first);
  const key = pointerToKey(error.path);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    throw new ConfigError('unknown key', key);
  }
  throw new ConfigError(`${error.message} (got ${JSON.stringify(error.value)})`, key);
}

/** `/modules/0/glob` -> `modules[0].glob`, the way the other config errors name keys. */
function pointerToKey(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  if (segments.length === 0) return '(root)';
  return segments.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/**
 * A union (module by glob or by name) reports only "expected union value"; descend into the
 * variant that got furthest so the message names the real key.
 */
function innermost(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union || error.errors.length === 0) return error;
  let best: ValueError | undefined;
  for (const variant of error.errors) {
    const all = [...variant];
    // Prefer a variant whose only complaints are about keys it does not know or lacks.
    const candidate = all.find((e) => e.type !== ValueErrorType.ObjectRequiredProperty) ?? all[0];
    if (!candidate) continue;
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ? innermost(best) : error;
}

