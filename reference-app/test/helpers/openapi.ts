import type { App } from '../../src/app.js';

export interface DocumentedOperation {
  method: string;
  /** OpenAPI path, e.g. `/api/consumer/listings/{listingId}/bids`. */
  path: string;
  operation: {
    requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
    parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
  const?: unknown;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation the app documents at /docs/json: the list the auth and bad-input tests walk. */
export async function documentedOperations(app: App): Promise<DocumentedOperation[]> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  const document = response.json<{ paths: Record<string, Record<string, DocumentedOperation['operation']>> }>();
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (METHODS.includes(method)) operations.push({ method: method.toUpperCase(), path, operation });
    }
  }
  return operations;
}

/** The context a route belongs to, read from its URL alone (independent of what the route declares). */
export function contextOfPath(path: string): 'public' | 'consumer' | 'seller' | 'admin' {
  const match = /^\/api\/(consumer|seller|admin|public)(\/|$)/.exec(path);
  return (match?.[1] as 'consumer' | 'seller' | 'admin' | 'public' | undefined) ?? 'public';
}

export function fillPath(path: string, values: Record<string, string>, fallback: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? fallback);
}
