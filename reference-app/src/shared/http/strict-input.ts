/*
 * Checks that run before Ajv on every part of a request, for what JSON Schema cannot say:
 *
 * - Numbers in a URL are base-10 integers written plainly. Ajv's coercion runs `Number()`,
 *   which reads `1e309` as Infinity (then no bound applies), `0x10` as 16 and `" 5"` as 5.
 * - Text must be storable: PostgreSQL `text` cannot hold U+0000 (the INSERT fails, which
 *   used to surface as a 500), and a lone UTF-16 surrogate cannot be encoded as UTF-8.
 */

export interface InputIssue {
  /** JSON pointer inside the part, e.g. `/limit` or `/title`. */
  path: string;
  message: string;
}

/** Plain base-10 integer: optional minus, no leading zeros, no spaces, at most 15 digits (exact in a double). */
const PLAIN_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;

interface PropertySchema {
  type?: unknown;
  anyOf?: PropertySchema[];
}

/** The properties of an object schema typed integer or number (those Ajv would coerce from text). */
export function numericProperties(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!properties) return [];
  const numeric = (s: PropertySchema): boolean =>
    s.type === 'integer' || s.type === 'number' || (Array.isArray(s.anyOf) && s.anyOf.some(numeric));
  return Object.entries(properties)
    .filter(([, s]) => numeric(s))
    .map(([name]) => name);
}

/** A URL value (query or path) meant as an integer that is not written as a plain integer. */
export function malformedNumbers(data: unknown, names: readonly string[]): InputIssue | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  for (const name of names) {
    const raw = (data as Record<string, unknown>)[name];
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (typeof value === 'string' && !PLAIN_INTEGER.test(value)) {
        return { path: `/${name}`, message: 'must be a base-10 integer (digits only, no spaces, exponent or prefix)' };
      }
    }
  }
  return undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function storable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** The first string (value or key) anywhere in `data` that PostgreSQL could not store. */
export function unstorableText(data: unknown, path = ''): InputIssue | undefined {
  if (typeof data === 'string') {
    return storable(data) ? undefined : { path: path || '/', message: 'contains a NUL character or invalid Unicode' };
  }
  if (typeof data !== 'object' || data === null) return undefined;
  // Runs on every part of every request (headers included): no entries array, and a key's
  // path is only built once something under it is found.
  const record = data as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (!storable(key)) {
      return { path: `${path}/${key}`, message: 'the property name contains a NUL character or invalid Unicode' };
    }
    if (typeof value === 'string' ? storable(value) : typeof value !== 'object' || value === null) continue;
    const issue = unstorableText(value, `${path}/${key}`);
    if (issue) return issue;
  }
  return undefined;
}
