import { randomBytes, randomUUID } from 'node:crypto';
import type { JsonSchema } from './openapi.js';

/** A value the schema accepts; `overrides` (by property name) supply real ids and sensible amounts. */
export function validSample(schema: JsonSchema, overrides: Record<string, unknown>, name = ''): unknown {
  if (name in overrides) return overrides[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return validSample(schema.anyOf[0]!, overrides, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) out[key] = validSample(child, overrides, key);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        validSample(schema.items ?? {}, overrides, name),
      );
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'uuid') return randomUUID();
      // Digit-only patterns (numeric ids kept as strings) are the only patterns the API uses.
      if (schema.pattern?.includes('[0-9]')) return '1';
      if (schema.format === 'email') return `sample-${randomBytes(4).toString('hex')}@test.archfit.dev`;
      return 'valid sample text'.padEnd(schema.minLength ?? 1, 'x').slice(0, schema.maxLength ?? 100);
  }
}

export interface BadInput {
  label: string;
  /** Raw payload (string) or a value to JSON-encode. */
  payload: unknown;
  raw?: boolean;
  contentType?: string;
  /** The field the problem must name, when there is one. */
  field?: string;
}

export const SQL_LOOKING = [
  "' OR '1'='1",
  '1; DROP TABLE catalog.listings; --',
  "x' UNION SELECT password_hash FROM identity.users --",
];

/** Strings whose content is free text: SQL-looking input there is legitimate data, stored verbatim. */
function isFreeText(schema: JsonSchema): boolean {
  return schema.type === 'string' && !schema.format && !schema.enum && !schema.const;
}

function wrongTypesFor(schema: JsonSchema): unknown[] {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string') return [12345, true, { nested: 'x' }, ['x'], null];
  if (type === 'integer' || type === 'number') return ['12', 1.5, true, { n: 1 }, null, 1e20];
  if (type === 'array') return ['x', 1, { 0: 'x' }, null];
  if (type === 'boolean') return ['true', 1, null];
  return ['x', 1, null];
}

/** Everything we throw at one write route's body. */
export function badBodies(schema: JsonSchema | undefined, valid: Record<string, unknown>): BadInput[] {
  const inputs: BadInput[] = [
    { label: 'malformed JSON', payload: '{"a": ', raw: true, contentType: 'application/json', field: 'body' },
    {
      label: 'truncated JSON',
      payload: JSON.stringify(valid).slice(0, -1),
      raw: true,
      contentType: 'application/json',
      field: 'body',
    },
    { label: 'JSON array instead of object', payload: '[]', raw: true, contentType: 'application/json' },
    { label: 'JSON string instead of object', payload: '"hello"', raw: true, contentType: 'application/json' },
    {
      label: 'prototype pollution',
      payload: `{"__proto__": {"isAdmin": true}}`,
      raw: true,
      contentType: 'application/json',
    },
    { label: 'form-encoded body', payload: 'a=1&b=2', raw: true, contentType: 'application/x-www-form-urlencoded' },
    {
      label: '200 KiB body',
      payload: JSON.stringify({ ...valid, padding: 'p'.repeat(200 * 1024) }),
      raw: true,
      contentType: 'application/json',
    },
    { label: 'unknown field', payload: { ...valid, unexpectedField: 'x' }, field: 'unexpectedField' },
  ];
  if (!schema?.properties) return inputs;
  for (const name of schema.required ?? []) {
    const { [name]: _dropped, ...rest } = valid;
    inputs.push({ label: `missing ${name}`, payload: rest, field: name });
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    for (const wrong of wrongTypesFor(property)) {
      inputs.push({ label: `${name} = ${JSON.stringify(wrong)}`, payload: { ...valid, [name]: wrong }, field: name });
    }
    if (property.type === 'string') {
      const over = (property.maxLength ?? 10_000) + 1;
      inputs.push({ label: `${name} of ${over} chars`, payload: { ...valid, [name]: 'a'.repeat(over) }, field: name });
      if (!isFreeText(property)) {
        for (const sql of SQL_LOOKING)
          inputs.push({ label: `${name} = SQL ${sql}`, payload: { ...valid, [name]: sql }, field: name });
      }
    }
  }
  return inputs;
}

/** Path values that must be refused before any handler runs. */
export const BAD_PATH_VALUES = ['not-a-uuid', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g', '%00'];
