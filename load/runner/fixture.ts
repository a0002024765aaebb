import { randomBytes } from 'node:crypto';
import type { RequestTemplate } from '../scenarios/schema.js';
import type { RequestSpec } from './open-model.js';

/** What a scenario's requests need from the app: tokens and the ids of seeded rows. */
export interface Fixture {
  tokens: { consumer: string[]; seller: string[]; admin: string[] };
  /** Auction listings (bids). */
  listings: string[];
  /** Fixed-price listings with deep stock (checkout), when the scenario seeds any. */
  fixedListings?: string[];
}

async function call(base: string, method: string, path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seeding: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs up a user through the public API and logs in to one context. */
export async function signUp(base: string, role: 'consumer' | 'seller'): Promise<string> {
  const email = `load-${role}-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await call(base, 'POST', '/api/public/users', { email, password, displayName: `load ${role}`, roles: [role] });
  const session = await call(base, 'POST', '/api/public/sessions', { email, password, context: role });
  return session.token as string;
}

export async function seedIdentities(base: string, consumers: number): Promise<Fixture['tokens']> {
  const consumerTokens: string[] = new Array(consumers);
  // Password hashing is deliberately slow; four at a time matches libuv's default thread pool.
  await inBatches([...Array(consumers).keys()], 4, async (i) => {
    consumerTokens[i] = await signUp(base, 'consumer');
  });
  return { consumer: consumerTokens, seller: [await signUp(base, 'seller')], admin: [] };
}

/** A small deterministic PRNG so two runs of one definition send the same sequence. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ExpandContext {
  n: number;
  listing: string;
  fixedListing?: string;
  token?: string;
  amount?: number;
  query?: string;
}

function fill(value: unknown, ctx: ExpandContext): unknown {
  if (typeof value === 'string') {
    // A string that is exactly one numeric placeholder becomes a number in the JSON body.
    if (value === '{amount}' && ctx.amount !== undefined) return ctx.amount;
    if (value === '{n}') return ctx.n;
    return value
      .replaceAll('{fixedListing}', ctx.fixedListing ?? ctx.listing)
      .replaceAll('{listing}', ctx.listing)
      .replaceAll('{n}', String(ctx.n))
      .replaceAll('{query}', ctx.query ?? 'lamp')
      .replaceAll('{amount}', String(ctx.amount ?? 0));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, ctx)]));
  return value;
}

/** Turns a template into a concrete request; the route name keeps the placeholders so ids never become series. */
export function expand(t: RequestTemplate, ctx: ExpandContext): RequestSpec {
  return {
    name: `${t.method} ${t.path}`,
    method: t.method,
    path: fill(t.path, ctx) as string,
    ...(t.auth && ctx.token ? { headers: { authorization: `Bearer ${ctx.token}` } } : {}),
    ...(t.body !== undefined ? { body: fill(t.body, ctx) } : {}),
    ...(t.expect ? { expect: t.expect } : {}),
  };
}

/** Picks templates by weight with a seeded PRNG. */
export function weightedPicker<T extends { weight?: number }>(items: readonly T[], random: () => number): () => T {
  const total = items.reduce((s, i) => s + (i.weight ?? 1), 0);
  return () => {
    let r = random() * total;
    for (const item of items) {
      r -= item.weight ?? 1;
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  };
}

export function tokenFor(t: RequestTemplate, fx: Fixture, n: number): string | undefined {
  if (!t.auth) return undefined;
  const list = fx.tokens[t.auth];
  return list.length ? list[n % list.length] : undefined;
}

/** Runs `fn` over `items`, `width` at a time: seeding is set-up, so do it quickly but gently. */
export async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)));
}

/** Creates listings through the seller API and returns their ids, in creation order. */
export async function seedListings(base: string, sellerToken: string, count: number, listing: { title: string; priceCents: number; stock: number }, kind: 'auction' | 'fixed-price' = 'auction'): Promise<string[]> {
  const ids: string[] = new Array(count);
  await inBatches([...Array(count).keys()], 8, async (i) => {
    const created = await call(base, 'POST', '/api/seller/listings', { title: `${listing.title} ${i + 1}`, description: 'created by archfit load', kind, priceCents: listing.priceCents, stock: listing.stock }, sellerToken);
    ids[i] = created.id as string;
  });
  return ids;
}

/** Bid amounts that rise per listing, so most bids are legitimately higher than the last one. */
export function risingAmounts(start: number): (listing: string) => number {
  const last = new Map<string, number>();
  return (listing) => {
    const v = (last.get(listing) ?? start) + 10;
    last.set(listing, v);
    return v;
  };
}
