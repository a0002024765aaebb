// The seeded request streams, shared by the in-repo runner (Node) and the generated k6 scripts
// (bundled into them by k6-generate.ts). So this file imports nothing and uses no Node or k6
// API: request `g` of a run is a pure function of the definition, the seeded data and `g`,
// which is what lets two runners (and many k6 VUs in any order) send the same stream.

/** One concrete request: what both runners send. `body` is JSON text, or absent. */
export interface StreamRequest {
  /** Route name for per-route figures: the template, never a concrete id. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Statuses that count as an answer; empty means 200-299. */
  expect: number[];
}

/**
 * A counter-based generator: the n-th draw for a purpose (`salt`) needs no earlier draw, so
 * VUs that run iterations out of order still draw what the in-repo runner drew for them.
 */
export function random(seed: number, n: number, salt: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

export function pickIndex(length: number, r: number): number {
  return Math.min(length - 1, Math.floor(r * length));
}

/** Index of the item chosen by weight for a uniform draw `r`. */
export function pickWeighted(weights: readonly number[], r: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = r * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

type Scalar = string | number;
export type Lookup = (name: string) => Scalar | undefined;

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)?)\}/g;

/** Fills `{name}` placeholders; an unknown name throws (a silent literal would be a 400 per request). */
export function fillString(text: string, lookup: Lookup): Scalar {
  const whole = /^\{([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)?)\}$/.exec(text);
  if (whole) {
    // A string that is exactly one placeholder keeps the value's type (numbers stay numbers in JSON).
    const v = lookup(whole[1]!);
    if (v === undefined) throw new Error(`no value for {${whole[1]}}`);
    return v;
  }
  return text.replace(PLACEHOLDER, (_m, key: string) => {
    const v = lookup(key);
    if (v === undefined) throw new Error(`no value for {${key}}`);
    return String(v);
  });
}

export function fillValue(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return fillString(value, lookup);
  if (Array.isArray(value)) return value.map((v) => fillValue(v, lookup));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = fillValue((value as Record<string, unknown>)[key], lookup);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// http-mix: any app, fills from the definition.

export type MixFill =
  | { type: 'int'; min: number; max: number }
  | { type: 'pick'; values: Scalar[] }
  | { type: 'sequence'; start: number; step: number }
  | { type: 'csv'; file: string };

export interface MixTemplate {
  name: string;
  weight?: number;
  method: StreamRequest['method'];
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: number[];
}

export interface MixStreamDefinition {
  seed: number;
  fills?: Record<string, MixFill>;
  headers?: Record<string, string>;
  requests: MixTemplate[];
}

/** What a stream needs besides the definition: CSV rows per fill, and the environment for `{env.X}`. */
export interface MixData {
  csv: Record<string, Array<Record<string, string>>>;
  env: Record<string, string | undefined>;
}

/** Request `g` of an http-mix stream. */
export function mixRequest(def: MixStreamDefinition, data: MixData, g: number): StreamRequest {
  const t = def.requests[pickWeighted(def.requests.map((r) => r.weight ?? 1), random(def.seed, g, 0))]!;
  const fills = def.fills ?? {};
  const names = Object.keys(fills).sort();
  const drawn: Record<string, Scalar | Record<string, string>> = {};
  const valueOf = (name: string): Scalar | Record<string, string> | undefined => {
    if (name in drawn) return drawn[name];
    const f = fills[name];
    if (!f) return undefined;
    const r = random(def.seed, g, 1 + names.indexOf(name));
    let v: Scalar | Record<string, string>;
    if (f.type === 'int') v = f.min + pickIndex(f.max - f.min + 1, r);
    else if (f.type === 'pick') v = f.values[pickIndex(f.values.length, r)]!;
    else if (f.type === 'sequence') v = f.start + g * f.step;
    else {
      const rows = data.csv[name] ?? [];
      if (!rows.length) throw new Error(`fill ${name}: the CSV file has no rows`);
      v = rows[pickIndex(rows.length, r)]!;
    }
    drawn[name] = v;
    return v;
  };
  const lookup: Lookup = (key) => {
    if (key === 'n') return g;
    const dot = key.indexOf('.');
    if (dot > 0) {
      const head = key.slice(0, dot);
      const tail = key.slice(dot + 1);
      if (head === 'env') return data.env[tail];
      const v = valueOf(head);
      return v !== undefined && typeof v === 'object' ? v[tail] : undefined;
    }
    const v = valueOf(key);
    return typeof v === 'object' ? undefined : v;
  };
  const headers: Record<string, string> = {};
  const templates = { ...(def.headers ?? {}), ...(t.headers ?? {}) };
  for (const key of Object.keys(templates)) headers[key.toLowerCase()] = String(fillString(templates[key]!, lookup));
  const request: StreamRequest = { name: `${t.method} ${t.path}`, method: t.method, path: String(fillString(t.path, lookup)), headers, expect: t.expect ?? [] };
  if (t.body !== undefined) {
    request.body = JSON.stringify(fillValue(t.body, lookup));
    if (!headers['content-type']) headers['content-type'] = 'application/json';
  }
  return request;
}

// ---------------------------------------------------------------------------------------------
// The reference app's kinds: seeded rows (listings) and identities (bearer tokens).

export interface AppTemplate {
  name: string;
  weight?: number;
  method: StreamRequest['method'];
  path: string;
  auth?: 'consumer' | 'seller' | 'admin';
  body?: unknown;
  expect?: number[];
}

export interface AppFixture {
  tokens: { consumer: string[]; seller: string[]; admin: string[] };
  listings: string[];
  fixedListings?: string[];
}

/** The dau stream's seed, in both runners. */
export const DAU_SEED = 7;

export const SEARCH_TERMS = ['lamp', 'chair', 'vintage', 'camera', 'bike', 'desk', 'brass', 'guitar'];

/** Bid amounts rise with the global request index, so later bids (also across steps) outbid earlier ones. */
export function amountAt(g: number, start: number): number {
  return start + (g + 1) * 10;
}

/** One reference-app template filled for request `g` on a given listing. */
export function appRequest(t: AppTemplate, fx: AppFixture, g: number, values: { listing: string; fixedListing?: string; amount: number }): StreamRequest {
  const lookup: Lookup = (key) => {
    if (key === 'n') return g;
    if (key === 'listing') return values.listing;
    if (key === 'fixedListing') return values.fixedListing;
    if (key === 'amount') return values.amount;
    if (key === 'query') return SEARCH_TERMS[g % SEARCH_TERMS.length];
    return undefined;
  };
  const headers: Record<string, string> = {};
  if (t.auth) {
    const list = fx.tokens[t.auth];
    if (!list.length) throw new Error(`${t.name} needs a ${t.auth} token and the fixture has none`);
    headers.authorization = `Bearer ${list[g % list.length]}`;
  }
  const request: StreamRequest = { name: `${t.method} ${t.path}`, method: t.method, path: String(fillString(t.path, lookup)), headers, expect: t.expect ?? [] };
  if (t.body !== undefined) {
    request.body = JSON.stringify(fillValue(t.body, lookup));
    headers['content-type'] = 'application/json';
  }
  return request;
}

/** dau: a weighted template, a seeded auction listing and fixed-price listing, a rising amount. */
export function dauRequest(mix: readonly AppTemplate[], fx: AppFixture, g: number, seed: number): StreamRequest {
  const t = mix[pickWeighted(mix.map((m) => m.weight ?? 1), random(seed, g, 0))]!;
  const listing = fx.listings[pickIndex(fx.listings.length, random(seed, g, 1))]!;
  const fixed = fx.fixedListings?.length ? fx.fixedListings[pickIndex(fx.fixedListings.length, random(seed, g, 2))] : undefined;
  return appRequest(t, fx, g, { listing, ...(fixed ? { fixedListing: fixed } : {}), amount: amountAt(g, 1000) });
}

/** write-contention: every bid on the hot listing (`fx.listings[0]`), or spread over the others. */
export function contentionRequest(write: AppTemplate, fx: AppFixture, rows: 'hot' | 'uniform', g: number, seed: number, startCents: number): StreamRequest {
  const uniform = fx.listings.slice(1);
  const listing = rows === 'hot' || !uniform.length ? fx.listings[0]! : uniform[pickIndex(uniform.length, random(seed, g, 1))]!;
  return appRequest(write, fx, g, { listing, amount: amountAt(g, startCents) });
}

/** The opening bid of listing `i` (write-contention set-up: it opens the auction row). */
export function openingBid(write: AppTemplate, fx: AppFixture, i: number, startCents: number): StreamRequest {
  return appRequest(write, fx, 0, { listing: fx.listings[i]!, amount: startCents + 10 });
}
