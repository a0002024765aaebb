// Shared by the k6 scripts: the scenario definition (the same JSON the in-repo runner reads)
// and the fixture the runner seeded (tokens, listing ids), handed over as a file path.

export interface RequestTemplate {
  name: string;
  weight?: number;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  auth?: 'consumer' | 'seller' | 'admin';
  body?: unknown;
  expect?: number[];
}

export interface Threshold {
  id: string;
  metric: string;
  comparator: '<' | '<=' | '>' | '>=';
  value: number;
  unit: string;
}

export interface Fixture {
  baseUrl: string;
  tokens: { consumer: string[]; seller: string[]; admin: string[] };
  listings: string[];
}

export function readDefinition<T>(id: string): T {
  return JSON.parse(open(`../scenarios/${id}.json`)) as T;
}

export function readFixture(): Fixture {
  const file = __ENV.FIXTURE;
  if (!file) throw new Error('FIXTURE is not set: run this script through `archfit load --runner k6`, which seeds the app first');
  return JSON.parse(open(file)) as Fixture;
}

export function profileName(): 'full' | 'quick' | 'test' {
  const p = __ENV.PROFILE ?? 'quick';
  if (p !== 'full' && p !== 'quick' && p !== 'test') throw new Error(`PROFILE must be full, quick or test, not ${p}`);
  return p;
}

/** Fills {listing}, {amount}, {query}, {n} like the in-repo runner does. */
export function fill(value: unknown, ctx: { n: number; listing: string; amount: number; query: string }): unknown {
  if (typeof value === 'string') {
    if (value === '{amount}') return ctx.amount;
    if (value === '{n}') return ctx.n;
    return value
      .split('{listing}').join(ctx.listing)
      .split('{n}').join(String(ctx.n))
      .split('{query}').join(ctx.query)
      .split('{amount}').join(String(ctx.amount));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fill(v, ctx);
    return out;
  }
  return value;
}

export function headers(t: RequestTemplate, fx: Fixture, n: number): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (t.auth) {
    const list = fx.tokens[t.auth];
    if (list.length) h.authorization = `Bearer ${list[n % list.length]}`;
  }
  return h;
}
