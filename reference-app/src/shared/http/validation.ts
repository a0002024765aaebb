import { AjvCompiler, type BuildCompilerFromPool } from '@fastify/ajv-compiler';

/** What Fastify hands the validator compiler at run time (the published types lag behind). */
interface RouteSchemaDefinition {
  schema: unknown;
  method: string;
  url: string;
  httpPart: string;
}
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
  return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}

export const buildValidator = buildPerPartValidator as unknown as BuildCompilerFromPool;
