import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { batchHandler, createEventBus, type BatchHandler, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import { silentLogger } from '../../src/shared/events/logger.js';
import { claimPublications, deliverGroup, type ClaimedPublication, type RelaySettings } from '../../src/shared/events/relay.js';
import { splitClaim } from '../../src/shared/events/relay-loop.js';
import { Subscriptions } from '../../src/shared/events/subscriptions.js';
import { inTx, testPool } from './support.js';

/*
 * Issue 16: a claim that spans several keys is delivered as ONE transaction when it fits in a
 * group (it used to take one transaction, one commit and one pool connection per key). Per-key
 * order and the inbox dedupe must hold inside that one transaction.
 */
const step = defineEvent({
  type: 'groupstest.step',
  version: 1,
  publisher: 'groupstest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['grouped'],
});

function claimed(id: number, key?: string): ClaimedPublication {
  return {
    publicationId: String(id),
    consumer: 'c',
    claimToken: 't',
    event: { id: `e${id}`, type: 'x', version: 1, payload: {}, publishedAt: new Date(0), attempt: 1, ...(key === undefined ? {} : { key }) },
  };
}
const note = defineEvent({
  type: 'groupstest.note',
  version: 1,
  publisher: 'groupstest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['grouped'],
});
const ids = (groups: ClaimedPublication[][]) => groups.map((g) => g.map((c) => Number(c.publicationId)));

describe('splitClaim', () => {
  it('puts a claim that fits in one group into one group, whatever its keys', () => {
    const claim = [claimed(1, 'a'), claimed(2, 'b'), claimed(3, 'a'), claimed(4), claimed(5, 'c')];
    expect(ids(splitClaim(claim, 4, 16))).toEqual([[1, 3, 2, 4, 5]]);
  });

  it('uses as many groups as groupSize needs, at most the free slots, each key whole and in id order', () => {
    const claim = Array.from({ length: 40 }, (_, i) => claimed(i + 1, `k${i % 5}`));
    const groups = splitClaim(claim, 4, 16);
    expect(groups).toHaveLength(3);
    for (const key of ['k0', 'k1', 'k2', 'k3', 'k4']) {
      const holding = groups.filter((g) => g.some((c) => c.event.key === key));
      expect(holding).toHaveLength(1);
      const run = holding[0]!.filter((c) => c.event.key === key).map((c) => Number(c.publicationId));
      expect(run).toEqual([...run].sort((a, b) => a - b));
    }
    expect(splitClaim(claim, 2, 16)).toHaveLength(2);
    expect(groups.flat()).toHaveLength(40);
  });

  it('returns no group for an empty claim or no free slot', () => {
    expect(splitClaim([], 4, 16)).toEqual([]);
    expect(splitClaim([claimed(1)], 0, 16)).toEqual([]);
  });
});

// One database for the delivery tests below; each starts from empty tables.
let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
const settings: RelaySettings = { batchSize: 64, concurrency: 4, groupSize: 16, leaseMs: 30_000, maxAttempts: 5, backoff: { baseMs: 1, maxMs: 1 } };

beforeAll(async () => {
  db = await createTestDatabase('events_groups');
  pool = testPool(db.url, 4);
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE effect (seq bigserial PRIMARY KEY, event_id uuid UNIQUE, key text, kind text, n int)');
  // Publishes only: the tests claim and deliver by hand.
  bus = createEventBus({ pool, consumers: ['grouped'], relay: false });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
const emptyTables = () => pool.query('TRUNCATE effect, events.inbox, events.publication, events.event');

describe('a claim across keys delivered in one transaction', () => {

  it('commits every handler, inbox row and completion together, keeps each key in order and skips an event already in the inbox', async () => {
    await emptyTables();
    const published: Array<{ id: string; key: string; n: number }> = [];
    for (let n = 0; n < 3; n++) {
      for (const key of ['left', 'right']) {
        const [id] = await inTx(pool, (tx) => bus.publishEvents([step.create({ n }, key)], tx));
        published.push({ id: id!, key, n });
      }
    }
    // One event was handled before (a redelivery): the inbox already has it.
    const seenBefore = published.find((p) => p.key === 'right' && p.n === 1)!;
    await pool.query("INSERT INTO events.inbox (consumer, event_id) VALUES ('grouped', $1)", [seenBefore.id]);

    const subs = new Subscriptions();
    subs.add('grouped', step.type, async (event, tx) => {
      await tx.query('INSERT INTO effect (event_id, key, n) VALUES ($1, $2, $3)', [event.id, event.key, (event.payload as { n: number }).n]);
    });
    const claim = await claimPublications(pool, ['grouped'], 64, 30_000, 16);
    expect(claim).toHaveLength(6);
    const groups = splitClaim(claim, settings.concurrency, settings.groupSize);
    expect(groups).toHaveLength(1);
    const outcomes = await deliverGroup(pool, subs, groups[0]!, settings, silentLogger);
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(1);

    const { rows: effects } = await pool.query<{ event_id: string; key: string; n: number }>('SELECT event_id, key, n FROM effect ORDER BY seq');
    expect(effects.map((e) => e.event_id)).not.toContain(seenBefore.id);
    expect(effects.filter((e) => e.key === 'left').map((e) => e.n)).toEqual([0, 1, 2]);
    expect(effects.filter((e) => e.key === 'right').map((e) => e.n)).toEqual([0, 2]);
    // One transaction: the effects, the new inbox rows and the completions share one xmin.
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT x) AS n FROM (
         SELECT xmin::text AS x FROM effect
         UNION ALL SELECT xmin::text FROM events.inbox WHERE event_id <> $1
         UNION ALL SELECT xmin::text FROM events.publication WHERE status = 'completed') t`,
      [seenBefore.id],
    );
    expect(Number(rows[0]!.n)).toBe(1);
    const pending = await pool.query("SELECT count(*)::int AS n FROM events.publication WHERE status <> 'completed'");
    expect(pending.rows[0].n).toBe(0);
  });
});

describe('a batching handler (issue 16: one statement for a delivery\'s rows, not one per event)', () => {
  const payloadN = (e: { payload: unknown }) => (e.payload as { n: number }).n;
  /** Subscriptions with `body` as the batching handler of step events; `calls` lists each call's n values. */
  const stepBatches = (body: BatchHandler) => {
    const calls: number[][] = [];
    const subs = new Subscriptions();
    subs.add(
      'grouped',
      step.type,
      batchHandler(async (events, tx) => {
        calls.push(events.map(payloadN));
        await body(events, tx);
      }),
    );
    return { subs, calls };
  };

  async function publishOnOneKey(kinds: Array<'step' | 'note'>): Promise<string[]> {
    const out: string[] = [];
    for (const [n, kind] of kinds.entries()) {
      const event = (kind === 'step' ? step : note).create({ n }, 'one-key');
      out.push((await inTx(pool, (tx) => bus.publishEvents([event], tx)))[0]!);
    }
    return out;
  }

  it('takes each run of consecutive fresh events in one call, in delivery order, with plain handlers between runs', async () => {
    await emptyTables();
    // step step step note step step: two runs for the batch, the note in between, in id order.
    const published = await publishOnOneKey(['step', 'step', 'step', 'note', 'step', 'step']);
    // The second step was handled before (a redelivery): it must not reach the batch.
    await pool.query("INSERT INTO events.inbox (consumer, event_id) VALUES ('grouped', $1)", [published[1]]);
    const { subs, calls } = stepBatches(async (events, tx) => {
      await tx.query(
        "INSERT INTO effect (event_id, kind, n) SELECT id, 'step', n FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY AS t(id, n, o) ORDER BY o",
        [events.map((e) => e.id), events.map(payloadN)],
      );
    });
    subs.add('grouped', note.type, async (event, tx) => {
      await tx.query("INSERT INTO effect (event_id, kind, n) VALUES ($1, 'note', $2)", [event.id, payloadN(event)]);
    });
    const claim = await claimPublications(pool, ['grouped'], 64, 30_000, 16);
    expect(claim).toHaveLength(6);
    const outcomes = await deliverGroup(pool, subs, claim, settings, silentLogger);
    expect(outcomes).toEqual(['handled', 'duplicate', 'handled', 'handled', 'handled', 'handled']);
    expect(calls).toEqual([[0, 2], [4, 5]]);
    const { rows } = await pool.query<{ kind: string; n: number }>('SELECT kind, n FROM effect ORDER BY seq');
    expect(rows.map((r) => `${r.kind}${r.n}`)).toEqual(['step0', 'step2', 'note3', 'step4', 'step5']);
  });

  it('rolls a failed batch back and retries its events one at a time, so one poison event fails alone', async () => {
    await emptyTables();
    const published = await publishOnOneKey(['step', 'step', 'step']);
    const { subs, calls } = stepBatches(async (events, tx) => {
      for (const e of events) {
        await tx.query("INSERT INTO effect (event_id, kind, n) VALUES ($1, 'step', $2)", [e.id, payloadN(e)]);
        if (payloadN(e) === 2) throw new Error('poison');
      }
    });
    const claim = await claimPublications(pool, ['grouped'], 64, 30_000, 16);
    const outcomes = await deliverGroup(pool, subs, claim, settings, silentLogger);
    // The whole batch first, then each alone: 0 and 1 commit, 2 fails and waits for its retry.
    expect(calls).toEqual([[0, 1, 2], [0], [1], [2]]);
    expect(outcomes).toEqual(['handled', 'handled', 'retry']);
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM effect ORDER BY seq');
    expect(rows.map((r) => r.event_id)).toEqual([published[0], published[1]]);
    const failed = await pool.query<{ last_error: string }>("SELECT last_error FROM events.publication WHERE status = 'pending'");
    expect(failed.rows.map((r) => r.last_error)).toEqual([expect.stringContaining('poison')]);
  });
});
