import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler';
import { malformedNumbers, numericProperties, unstorableText, type InputIssue } from './strict-input.js';

/** What Fastify hands the validator compiler at run time (the published types lag behind). */
interface RouteSchemaDefinition {
  schema: unknown;
  method: string;
  url: string;
  httpPart: string;
}
interface AjvLikeError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvLikeError[] | null };
type Compile = (definition: RouteSchemaDefinition) => unknown;
interface ServerAjvOptions {
  customOptions?: Record<string, unknown>;
  plugins?: unknown[];
}

const factory = AjvCompiler() as unknown as (externalSchemas: unknown, options: ServerAjvOptions) => Compile;

/**
 * Two Ajv instances instead of Fastify's one. Bodies are JSON and keep their types: `"12"`
 * for an integer is an error, not silently 12. Path and query strings must be coerced
 * (everything in a URL is text). Neither strips unknown properties: schemas say
 * `additionalProperties: false`, and an unknown field is a 400 naming it.
 */
function buildPerPartValidator(externalSchemas: unknown, ajvOptions: ServerAjvOptions = {}): Compile {
  const common = { allErrors: false, removeAdditional: false, useDefaults: true };
  const strict = factory(externalSchemas, {
    ...ajvOptions,
    customOptions: { ...ajvOptions.customOptions, ...common, coerceTypes: false },
  });
  const coercing = factory(externalSchemas, {
    ...ajvOptions,
    customOptions: { ...ajvOptions.customOptions, ...common, coerceTypes: 'array' },
  });
  return (route) => {
    const fromText = route.httpPart !== 'body';
    const validate = (fromText ? coercing(route) : strict(route)) as Validate;
    return withStrictInput(validate, fromText ? numericProperties(route.schema) : []);
  };
}

/**
 * Runs the checks of strict-input.ts before Ajv and reports a failure as an Ajv error, so the
 * error handler turns it into the same 400 problem (field + message) as any other.
 */
function withStrictInput(validate: Validate, numeric: readonly string[]): Validate {
  const wrapped: Validate = (data) => {
    const issue: InputIssue | undefined = malformedNumbers(data, numeric) ?? unstorableText(data);
    if (issue) {
      wrapped.errors = [{ instancePath: issue.path, keyword: 'format', params: {}, message: issue.message }];
      return false;
    }
    const valid = validate(data);
    wrapped.errors = validate.errors;
    return valid;
  };
  return wrapped;
}

export const buildValidator = buildPerPartValidator as unknown as BuildCompilerFromPool;
