/**
 * The baseline of `npm run bench:app`: the two requests the bench measures, written as one
 * would by hand in a single file, with bare Fastify and pg. No modules, no context scopes, no
 * schema validation or response schemas, no problem+json, no spans, no idempotency wrapper,
 * no event contracts, no relay. It runs the SQL the reference app runs for those requests,
 * copied verbatim from the repositories, on the same schema, database and pool size:
 *
 * - `GET /api/public/listings/:listingId`: catalog's `findById`
 *   (modules/catalog/infrastructure/pg-listing-repository.ts);
 * - `POST /api/consumer/listings/:listingId/bids`: the token's user version lookup
 *   (identity's `tokenVersion`, cached 2 s like shared/auth/revocation.ts), then in one
 *   transaction the conditional-update strategy's UPDATE (strategies/conditional-update.ts),
 *   the refusal read when it changes no row (strategies/auction-row.ts), the leader change
 *   (strategies/leader-change.ts), and the outbox write (shared/events/publish.ts). The first
 *   bid on a listing opens its auction as place-bid.ts does.
 *
 * Two modes for the bid (the listing read is the same in both):
 *
 * - `inline` (bench:app's primary baseline for bids): the same business work as the app, by hand,
 *   the way a single-file server would do it. In the bid's own transaction it writes the
 *   notification and delivery rows the app's notifications handler writes for the bid's events
 *   (notify.ts, pg-notification-store.ts, recording-sender.ts: the seller is told of every bid,
 *   the overtaken bidder of being outbid unless they overtook themselves; same kinds, titles,
 *   bodies, subject, channel 'log', one source id per would-be event), and NO outbox rows: no
 *   outbox, no relay, no inbox, no completion. The difference from the app is then the
 *   architecture alone (events between modules, delivered at least once and deduplicated).
 *   test/bench/bare-inline-notifications.test.ts holds the rows equal to the app's.
 * - `outbox` (the default, the secondary baseline): the app's bid SQL including its outbox
 *   write, but the outbox rows name the consumer `bench-bare`, which nothing delivers, and it
 *   asks for no NOTIFY: no notification is ever written, so against it the app's ratio prices
 *   the notifications feature as well as the architecture.
 *
 * Tokens are verified with the app's library and settings (fast-jwt HS256, 10,000-entry cache),
 * so both servers refuse the same requests.
 *
 * `node --import tsx reference-app/bench/bare-server.ts` listens on HOST/PORT with DATABASE_URL,
 * DB_POOL_MAX (default 10), AUTH_TOKEN_SECRET (required) and BARE_MODE (outbox or inline).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createVerifier } from 'fast-jwt';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import pg from 'pg';

export const BARE_CONSUMER = 'bench-bare';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;
const LISTING_COLUMNS = 'id, seller_id, title, description, kind, price_cents, stock, status, created_at';
const BID_COLUMNS = 'id, listing_id, bidder_id, amount_cents, status, placed_at';
const AUCTION_COLUMNS =
  'listing_id, seller_id, starting_price_cents, current_price_cents, leading_bid_id, leading_bidder_id, bid_count, version, status';
const VERSION_TTL_MS = 2_000;
const MAX_STATEMENT_TRIES = 3;

/** outbox: the app's bid SQL with undelivered outbox rows; inline: notifications written in the bid's transaction, no outbox. */
export type BareMode = 'outbox' | 'inline';
export const BARE_MODES: ReadonlyArray<BareMode> = ['outbox', 'inline'];

export interface BareOptions {
  databaseUrl: string;
  poolMax?: number;
  tokenSecret: string;
  mode?: BareMode;
}

export type BareServer = FastifyInstance & { pool: pg.Pool };

const fail = (reply: FastifyReply, status: number, detail: string) => reply.status(status).send({ status, detail });

/** The same pool settings as shared/db/pool.ts. */
function barePool(options: BareOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    application_name: 'archfit-bench-bare',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 15_000,
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function buildBareServer(options: BareOptions): BareServer {
  const pool = barePool(options);
  const mode = options.mode ?? 'outbox';
  const verify = createVerifier({ key: options.tokenSecret, algorithms: ['HS256'], cache: 10_000 });
  const versions = new Map<string, { version: number | undefined; until: number }>();
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get<{ Params: { listingId: string } }>('/api/public/listings/:listingId', async (request, reply) => {
    const id = request.params.listingId;
    if (!UUID.test(id)) return fail(reply, 400, 'listingId must be a uuid');
    const { rows } = await pool.query(`SELECT ${LISTING_COLUMNS} FROM catalog.listings WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return fail(reply, 404, 'listing not found');
    return {
      id: row.id,
      sellerId: row.seller_id,
      title: row.title,
      description: row.description,
      kind: row.kind,
      priceCents: Number(row.price_cents),
      stock: row.stock,
      status: row.status,
      createdAt: row.created_at.toISOString(),
    };
  });

  app.post<{ Params: { listingId: string }; Body: { amountCents?: unknown } }>(
    '/api/consumer/listings/:listingId/bids',
    async (request, reply) => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!token) return fail(reply, 401, 'missing bearer token');
      let claims: { sub: string; ctx: string; perms: string[]; ver: number };
      try {
        claims = verify(token);
      } catch {
        return fail(reply, 401, 'token invalid');
      }
      if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return fail(reply, 401, 'token claims malformed');
      if (claims.ctx !== 'consumer' || !claims.perms?.includes('bids:write')) return fail(reply, 403, 'forbidden');
      const now = Date.now();
      let cached = versions.get(claims.sub);
      if (!cached || cached.until <= now) {
        const { rows } = await pool.query('SELECT token_version FROM identity.users WHERE id = $1', [claims.sub]);
        cached = { version: rows[0]?.token_version, until: now + VERSION_TTL_MS };
        versions.set(claims.sub, cached);
      }
      if (cached.version !== claims.ver) return fail(reply, 401, 'token revoked');

      const listingId = request.params.listingId;
      const amountCents = request.body?.amountCents;
      if (!UUID.test(listingId)) return fail(reply, 400, 'listingId must be a uuid');
      if (!Number.isInteger(amountCents) || (amountCents as number) < 1 || (amountCents as number) > 100_000_000) {
        return fail(reply, 400, 'amountCents must be an integer from 1 to 100000000');
      }
      const attempt = { listingId, bidderId: claims.sub, amountCents: amountCents as number };
      let outcome = await placeBid(pool, attempt, mode);
      if (outcome === 'not-opened') {
        const { rows } = await pool.query(`SELECT ${LISTING_COLUMNS} FROM catalog.listings WHERE id = $1`, [listingId]);
        const listing = rows[0];
        if (!listing) return fail(reply, 404, 'listing not found');
        if (listing.kind !== 'auction') return fail(reply, 422, 'this listing is sold at a fixed price');
        if (listing.status !== 'active') return fail(reply, 422, 'this listing is not on sale');
        await pool.query(
          `INSERT INTO bidding.auctions (listing_id, seller_id, starting_price_cents) VALUES ($1, $2, $3)
         ON CONFLICT (listing_id) DO NOTHING`,
          [listing.id, listing.seller_id, listing.price_cents],
        );
        outcome = await placeBid(pool, attempt, mode);
      }
      if (typeof outcome === 'string') return fail(reply, outcome === 'not-opened' ? 404 : 422, outcome);
      return reply.status(201).send(outcome);
    },
  );

  app.addHook('onClose', async () => {
    await pool.end();
  });
  return Object.assign(app, { pool });
}

interface Attempt {
  listingId: string;
  bidderId: string;
  amountCents: number;
}

type Placed = { bid: Record<string, unknown>; overtookBidId: string | null };

/** The conditional-update strategy's transaction, with the outbox write or the notifications; a string says why not. */
async function placeBid(pool: pg.Pool, attempt: Attempt, mode: BareMode): Promise<Placed | string> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const bidId = randomUUID();
    let sellerId: string | undefined;
    for (let tries = 1; !sellerId; tries++) {
      const { rows } = await client.query(
        `UPDATE bidding.auctions
             SET current_price_cents = $2, leading_bid_id = $3, leading_bidder_id = $4, bid_count = bid_count + 1,
                 version = version + 1
             WHERE listing_id = $1 AND status = 'open' AND seller_id <> $4
               AND $2 >= starting_price_cents AND current_price_cents < $2
             RETURNING seller_id`,
        [attempt.listingId, attempt.amountCents, bidId, attempt.bidderId],
      );
      sellerId = rows[0]?.seller_id;
      if (sellerId) break;
      const read = await client.query(`SELECT ${AUCTION_COLUMNS} FROM bidding.auctions WHERE listing_id = $1 `, [
        attempt.listingId,
      ]);
      const auction = read.rows[0];
      const refusal = !auction
        ? 'not-opened'
        : auction.status !== 'open'
          ? 'the auction is closed'
          : auction.seller_id === attempt.bidderId
            ? 'sellers cannot bid on their own listing'
            : attempt.amountCents < Number(auction.starting_price_cents)
              ? 'bid below the starting price'
              : attempt.amountCents <= Number(auction.current_price_cents)
                ? 'bid must be higher than the current price'
                : tries >= MAX_STATEMENT_TRIES
                  ? 'a higher bid arrived first'
                  : undefined;
      if (refusal) {
        await client.query('ROLLBACK');
        return refusal;
      }
    }
    const demoted = await client.query(
      `UPDATE bidding.bids SET status = 'outbid' WHERE listing_id = $1 AND status = 'leading'
     RETURNING id, bidder_id, amount_cents`,
      [attempt.listingId],
    );
    const inserted = await client.query(
      `INSERT INTO bidding.bids (id, listing_id, bidder_id, amount_cents, status) VALUES ($1, $2, $3, $4, 'leading')
     RETURNING ${BID_COLUMNS}`,
      [bidId, attempt.listingId, attempt.bidderId, attempt.amountCents],
    );
    const row = inserted.rows[0];
    const bid = {
      id: row.id,
      listingId: row.listing_id,
      bidderId: row.bidder_id,
      amountCents: Number(row.amount_cents),
      status: row.status,
      placedAt: row.placed_at.toISOString(),
    };
    const previous = demoted.rows[0];
    if (mode === 'inline') {
      await notifyInline(client, { bid, sellerId: sellerId!, previous });
      await client.query('COMMIT');
      return { bid, overtookBidId: previous?.id ?? null };
    }
    const events: Array<{ type: string; payload: unknown }> = [
      {
        type: 'bid.placed',
        payload: { bidId: bid.id, listingId: bid.listingId, bidderId: bid.bidderId, sellerId, amountCents: bid.amountCents, placedAt: bid.placedAt },
      },
    ];
    if (previous && previous.bidder_id !== bid.bidderId) {
      events.push({
        type: 'bid.outbid',
        payload: {
          listingId: bid.listingId,
          outbidBidId: previous.id,
          outbidBidderId: previous.bidder_id,
          outbidAmountCents: Number(previous.amount_cents),
          newAmountCents: bid.amountCents,
        },
      });
    }
    const ids = events.map(() => randomUUID());
    await client.query(
      `WITH e AS (
       INSERT INTO events.event (id, type, version, key, payload, traceparent)
       SELECT id, type, version, key, payload, $6::text
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[]) AS t(id, type, version, key, payload)
     ), p AS (
       INSERT INTO events.publication (event_id, consumer, event_type, key)
       SELECT * FROM unnest($7::uuid[], $8::text[], $9::text[], $10::text[])
     )
     SELECT CASE WHEN $11::boolean THEN pg_notify('archfit_events', '') END`,
      [
        ids,
        events.map((e) => e.type),
        events.map(() => 1),
        events.map(() => bid.listingId),
        events.map((e) => JSON.stringify(e.payload)),
        null,
        ids,
        events.map(() => BARE_CONSUMER),
        events.map((e) => e.type),
        events.map(() => bid.listingId),
        false,
      ],
    );
    await client.query('COMMIT');
    return { bid, overtookBidId: previous?.id ?? null };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

const euros = (cents: number) => `${(cents / 100).toFixed(2)} EUR`;

/**
 * What the app's notifications handler writes for bid.placed and bid.outbid, written here in the
 * bid's transaction with one statement: the seller hears of the bid; the bidder it overtook hears
 * they were outbid, unless they overtook themselves. Each notice gets its own source id, as each
 * event has its own id in the app; no outbox row, so nothing is delivered later.
 */
async function notifyInline(
  client: pg.PoolClient,
  p: { bid: { listingId: string; bidderId: string; amountCents: number }; sellerId: string; previous?: { bidder_id: string; amount_cents: string } },
): Promise<void> {
  const notices = [
    { recipient: p.sellerId, kind: 'bid.placed.seller', title: 'New bid on your listing', body: `A buyer bid ${euros(p.bid.amountCents)}.` },
  ];
  if (p.previous && p.previous.bidder_id !== p.bid.bidderId) {
    notices.push({
      recipient: p.previous.bidder_id,
      kind: 'bid.outbid.bidder',
      title: 'You have been outbid',
      body: `Someone bid ${euros(p.bid.amountCents)}, above your ${euros(Number(p.previous.amount_cents))}.`,
    });
  }
  await client.query(
    `WITH n AS (
       INSERT INTO notifications.notification (recipient_id, kind, title, body, subject_type, subject_id, source_event_id)
       SELECT recipient_id, kind, title, body, 'listing', $5::uuid, source_event_id
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $6::uuid[]) AS t(recipient_id, kind, title, body, source_event_id)
       RETURNING id
     )
     INSERT INTO notifications.delivery (notification_id, channel) SELECT id, 'log' FROM n`,
    [
      notices.map((n) => n.recipient),
      notices.map((n) => n.kind),
      notices.map((n) => n.title),
      notices.map((n) => n.body),
      p.bid.listingId,
      notices.map(() => randomUUID()),
    ],
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const secret = process.env.AUTH_TOKEN_SECRET;
  const databaseUrl = process.env.DATABASE_URL;
  if (!secret || !databaseUrl) {
    process.stderr.write('bare-server: DATABASE_URL and AUTH_TOKEN_SECRET are required\n');
    process.exit(2);
  }
  const mode = (process.env.BARE_MODE || 'outbox') as BareMode;
  if (!BARE_MODES.includes(mode)) {
    process.stderr.write(`bare-server: BARE_MODE must be outbox or inline, got "${mode}"\n`);
    process.exit(2);
  }
  const app = buildBareServer({ databaseUrl, tokenSecret: secret, poolMax: Number(process.env.DB_POOL_MAX || 10), mode });
  await app.listen({ host: process.env.HOST || '127.0.0.1', port: Number(process.env.PORT || 3100) });
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
