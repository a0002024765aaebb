import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auctionWithBid } from '../helpers/marketplace.js';
import {
  contextOfPath,
  documentedOperations,
  fillPath,
  type DocumentedOperation,
  type JsonSchema,
} from '../helpers/openapi.js';
import { BAD_PATH_VALUES, badBodies, SQL_LOOKING, validSample } from '../helpers/samples.js';
import {
  bearer,
  createListing,
  problemOf,
  startTestApp,
  userWithToken,
  type TestApp,
  type TestUser,
} from '../helpers/test-app.js';

let t: TestApp;
let writeRoutes: DocumentedOperation[];
const users = {} as Record<'consumer' | 'seller' | 'admin', TestUser>;
let pathIds: Record<string, string>;
let bodyOverrides: Record<string, unknown>;

beforeAll(async () => {
  t = await startTestApp();
  // Log-out-everywhere routes last: their valid control request revokes the test user's token.
  const revokes = (op: { path: string }) => op.path.endsWith('/sessions/revocation');
  const writes = (await documentedOperations(t.app)).filter((op) => op.method !== 'GET');
  writeRoutes = [...writes.filter((op) => !revokes(op)), ...writes.filter(revokes)];
  for (const context of ['consumer', 'seller', 'admin'] as const) users[context] = await userWithToken(t.app, context);
  const auction = await createListing(t.app, users.seller, { kind: 'auction', priceCents: 1_000, stock: 5 });
  const fixed = await createListing(t.app, users.seller, { kind: 'fixed-price', priceCents: 1_000, stock: 1_000 });
  const withBid = await auctionWithBid(t.app, users.seller, users.consumer);
  // Real ids, so a valid body would get past the handler's lookups: a refusal is the bad input's doing.
  pathIds = { listingId: auction.id, bidId: withBid.bidId };
  bodyOverrides = {
    listingId: fixed.id,
    amountCents: 90_000_000,
    quantity: 1,
    stock: 1,
    password: 'valid-sample-password',
  };
});
afterAll(async () => t?.close());

/** Row counts of every table in every schema the app owns: "nothing was written" means these do not move. */
async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await t.app.pool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public')`,
  );
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const { rows } = await t.app.pool.query(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`);
    counts[`${schema}.${name}`] = rows[0].n;
  }
  return counts;
}

function bodySchemaOf(op: DocumentedOperation): JsonSchema | undefined {
  return op.operation.requestBody?.content?.['application/json']?.schema;
}

/** Values the documented path parameters accept (real ids come from `pathIds`). */
function samplePathValues(op: DocumentedOperation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of op.operation.parameters ?? []) {
    if (p.in === 'path') values[p.name] = String(validSample(p.schema ?? {}, {}));
  }
  return values;
}

function headersFor(op: DocumentedOperation): Record<string, string> {
  const context = contextOfPath(op.path);
  return context === 'public' ? {} : bearer(users[context].token);
}

describe('bad input on every write route', () => {
  it('answers 4xx problem+json naming the field, and writes nothing', async () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(8);
    let tried = 0;
    const failures: string[] = [];
    for (const op of writeRoutes) {
      const schema = bodySchemaOf(op);
      const valid = (schema ? validSample(schema, bodyOverrides) : {}) as Record<string, unknown>;
      const url = fillPath(op.path, { ...samplePathValues(op), ...pathIds }, '');
      const before = await rowCounts();
      // A route without a body schema takes no body at all: every body is refused as such.
      const inputs = badBodies(schema, valid).map((input) =>
        schema || !input.field ? input : { ...input, field: 'body' },
      );
      for (const input of inputs) {
        tried++;
        const response = await t.app.inject({
          method: op.method as 'POST',
          url,
          headers: { ...headersFor(op), ...(input.contentType ? { 'content-type': input.contentType } : {}) },
          payload: input.raw ? (input.payload as string) : (input.payload as object),
        });
        const where = `${op.method} ${op.path} [${input.label}]`;
        if (response.statusCode < 400 || response.statusCode >= 500) {
          failures.push(`${where}: ${response.statusCode} ${response.body.slice(0, 200)}`);
          continue;
        }
        const body = problemOf(response);
        if (input.field && !body.errors?.some((e) => e.field.includes(input.field!))) {
          failures.push(`${where}: problem does not name ${input.field}: ${JSON.stringify(body)}`);
        }
      }
      for (const bad of op.path.includes('{') ? BAD_PATH_VALUES : []) {
        tried++;
        const response = await t.app.inject({
          method: op.method as 'POST',
          url: op.path.replace(/\{\w+\}/, encodeURIComponent(bad)),
          headers: headersFor(op),
          ...(schema ? { payload: valid } : {}),
        });
        if (response.statusCode !== 400) failures.push(`${op.method} ${op.path} [path ${bad}]: ${response.statusCode}`);
        else expect(problemOf(response).errors?.[0]?.field).toMatch(/^params:/);
      }
      expect(await rowCounts(), `${op.method} ${op.path} wrote rows on bad input`).toEqual(before);
      // Control: the valid sample gets past validation, so the refusals above were the bad parts' doing.
      const control = await t.app.inject({
        method: op.method as 'POST',
        url,
        headers: headersFor(op),
        ...(schema ? { payload: valid } : {}),
      });
      if (control.statusCode === 400)
        failures.push(`${op.method} ${op.path} [control]: valid sample refused: ${control.body}`);
    }
    process.stdout.write(`bad input: ${tried} bad requests over ${writeRoutes.length} write routes\n`);
    expect(failures).toEqual([]);
  });

  it('stores SQL-looking free text verbatim (parameterised queries), and the tables survive', async () => {
    // A fresh seller: the walk above revoked the first one's tokens (log out everywhere).
    const seller = await userWithToken(t.app, 'seller');
    for (const title of SQL_LOOKING) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/seller/listings',
        headers: bearer(seller.token),
        payload: { title, description: title, kind: 'fixed-price', priceCents: 100, stock: 1 },
      });
      expect(response.statusCode).toBe(201);
      const { rows } = await t.app.pool.query('SELECT title FROM catalog.listings WHERE id = $1', [response.json().id]);
      expect(rows[0].title).toBe(title);
    }
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/public/listings?q=${encodeURIComponent(SQL_LOOKING[1]!)}`,
    });
    expect(search.statusCode).toBe(200);
    expect((await t.app.pool.query('SELECT count(*)::int AS n FROM identity.users')).rows[0].n).toBeGreaterThan(0);
  });
});
