import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBareServer, type BareServer } from '../../bench/bare-server.js';
import { bearer, createListing, startTestApp, TEST_TOKEN_SECRET, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';

/*
 * bench:app's primary baseline for bids is the bare server's `inline` mode: the notifications
 * the app's handler writes for bid.placed and bid.outbid, written by hand in the bid's own
 * transaction, with no outbox. That comparison is only fair if both leave the same rows. Here the
 * same bids go through the app (its relay delivering to notifications) and through the bare
 * inline server, each on a fresh database of its own, and the notification and delivery rows are
 * compared with ids and timestamps left out (users and listings are named by their role).
 */
interface Side {
  t: TestApp;
  seller: TestUser;
  alice: TestUser;
  bob: TestUser;
  listingId: string;
}

let app: Side;
let inline: Side;
let bare: BareServer;

async function side(t: TestApp): Promise<Side> {
  const [seller, alice, bob] = await Promise.all([userWithToken(t.app, 'seller'), userWithToken(t.app, 'consumer'), userWithToken(t.app, 'consumer')]);
  const { id } = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
  return { t, seller, alice, bob, listingId: id };
}

beforeAll(async () => {
  // The app as it ships: its relay delivers the bids' events to notifications in-process.
  app = await side(await startTestApp({ relay: true }));
  // The bare side: an app (relay off) only migrates the schema and seeds the users and listing.
  inline = await side(await startTestApp());
  bare = buildBareServer({ databaseUrl: inline.t.db.url, tokenSecret: TEST_TOKEN_SECRET, mode: 'inline' });
  await bare.ready();
});

afterAll(async () => {
  await bare?.close();
  await app?.t.close();
  await inline?.t.close();
});

/** Each bid by role: alice opens, bob overtakes her, bob raises himself (no outbid news), alice overtakes bob, one refused. */
const BIDS = [
  ['alice', 1_500, 201],
  ['bob', 1_600, 201],
  ['bob', 1_700, 201],
  ['alice', 1_800, 201],
  ['bob', 1_800, 422],
] as const;

async function placeAll(s: Side, inject: (opts: never) => Promise<{ statusCode: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (const [who, amountCents] of BIDS) {
    const res = await inject({ method: 'POST', url: `/api/consumer/listings/${s.listingId}/bids`, headers: bearer(s[who].token), payload: { amountCents } } as never);
    statuses.push(res.statusCode);
  }
  return statuses;
}

/** Notification rows joined to their deliveries, with users and the listing named by role and ids/timestamps left out. */
async function rowsOf(s: Side) {
  const role = new Map<string, string>([
    [s.seller.id, 'seller'],
    [s.alice.id, 'alice'],
    [s.bob.id, 'bob'],
    [s.listingId, 'listing'],
  ]);
  const { rows } = await s.t.app.pool.query<{
    recipient_id: string;
    kind: string;
    title: string;
    body: string;
    subject_type: string;
    subject_id: string;
    source_event_id: string;
    read_at: Date | null;
    channels: string[] | null;
  }>(
    `SELECT n.recipient_id, n.kind, n.title, n.body, n.subject_type, n.subject_id, n.source_event_id, n.read_at,
            (SELECT array_agg(d.channel ORDER BY d.id) FROM notifications.delivery d WHERE d.notification_id = n.id) AS channels
       FROM notifications.notification n`,
  );
  const sources = new Set(rows.map((r) => r.source_event_id));
  const mapped = rows.map(({ source_event_id: _ignored, recipient_id, subject_id, ...rest }) => ({
    ...rest,
    recipient: role.get(recipient_id) ?? recipient_id,
    subject: role.get(subject_id) ?? subject_id,
  }));
  mapped.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { rows: mapped, sources: sources.size };
}

describe('the bare inline mode writes the notifications the app delivers', () => {
  it('same notification and delivery rows for the same bids, and no outbox rows on the bare side', async () => {
    const appStatuses = await placeAll(app, (opts) => app.t.app.inject(opts));
    const bareStatuses = await placeAll(inline, (opts) => bare.inject(opts));
    expect(appStatuses).toEqual(BIDS.map(([, , status]) => status));
    expect(bareStatuses).toEqual(appStatuses);

    // Wait (bounded; not a timing assertion) until the app's relay has delivered every bid event.
    const pending = async () =>
      Number(
        (await app.t.app.pool.query<{ n: string }>(`SELECT count(*) AS n FROM events.publication WHERE consumer = 'notifications' AND status <> 'completed'`)).rows[0]!.n,
      );
    for (const until = Date.now() + 20_000; Date.now() < until && (await pending()) > 0; ) await new Promise((r) => setTimeout(r, 50));
    expect(await pending()).toBe(0);

    const fromApp = await rowsOf(app);
    const fromBare = await rowsOf(inline);
    // 4 placed bids tell the seller; 2 overtook someone else (bob's raise over himself is not news).
    expect(fromApp.rows.map((r) => `${r.kind} ${r.recipient}`).sort()).toEqual([
      'bid.outbid.bidder alice',
      'bid.outbid.bidder bob',
      'bid.placed.seller seller',
      'bid.placed.seller seller',
      'bid.placed.seller seller',
      'bid.placed.seller seller',
    ]);
    expect(fromApp.rows.every((r) => r.channels?.join() === 'log')).toBe(true);
    expect(fromBare.rows).toEqual(fromApp.rows);
    // One source per notice in both (each event has its own id in the app; the bare server mints one per notice).
    expect([fromApp.sources, fromBare.sources]).toEqual([6, 6]);

    const outbox = await inline.t.app.pool.query<{ n: string }>('SELECT count(*) AS n FROM events.event WHERE key = $1', [inline.listingId]);
    expect(Number(outbox.rows[0]!.n)).toBe(0);
  });
});
