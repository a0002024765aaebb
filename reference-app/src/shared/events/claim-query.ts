/**
 * The relay's claim, shaped so its cost does not grow with the backlog (it used to: 1,147 ms
 * for 6 rows with 60k pending on one hot key, 72k rows removed by filter, because it walked
 * pending rows in id order and dropped every one that was not the oldest of its key).
 *
 * - keyless: per consumer, the oldest due and unleased rows straight from
 *   publication_pending_keyless_idx (consumer, id); at most `limit` rows read per consumer,
 *   plus the few in flight or backing off at the front.
 * - keyed: a key may run only from its oldest pending row (per-key order). The
 *   distinct keys are found by a recursive skip scan over publication_pending_key_idx
 *   (consumer, key, id): one index probe per key, never per row, so a hot key with 100k
 *   pending costs one probe. The scan starts at a random (consumer, key) and wraps around,
 *   visiting at most `$5` keys, so with many busy keys every one gets its turn (fair across
 *   hot keys) and no claim reads more than that many. For each key whose oldest row is due
 *   and not leased, the claim takes a RUN: that row and the next ones of the key, up to `$8`,
 *   which the relay delivers in id order in one transaction. A hot key then drains a run per
 *   transaction instead of one event per claim and transaction.
 *
 * - shaped for a reused plan: the relay sends it as a named statement, so PostgreSQL plans it
 *   without the parameters' values after five runs. The key scans order by (consumer, key, id)
 *   so that plan still reads publication_pending_key_idx, and the candidates are looked up by
 *   id (= ANY of an array) rather than joined, which a plan made without values turned into a
 *   walk of the primary key over every completed row (bench/claim-plan.ts times both plans).
 *
 * Parameters: $1 consumers, $2 limit, $3 claim token, $4 lease ms, $5 keys to visit,
 * $6 start consumer, $7 start key, $8 longest run per key.
 */
export const CLAIM_SQL = `
WITH RECURSIVE
  after_start(consumer, key, n) AS (
    (SELECT p.consumer, p.key, 1 FROM events.publication p
      WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = ANY($1::text[])
        AND (p.consumer, p.key) >= ($6::text, $7::text)
      ORDER BY p.consumer, p.key LIMIT 1)
    UNION ALL
    SELECT nxt.consumer, nxt.key, s.n + 1 FROM after_start s CROSS JOIN LATERAL (
      SELECT p.consumer, p.key FROM events.publication p
       WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = ANY($1::text[])
         AND (p.consumer, p.key) > (s.consumer, s.key)
       ORDER BY p.consumer, p.key LIMIT 1) nxt
    WHERE s.n < $5
  ),
  before_start(consumer, key, n) AS (
    (SELECT p.consumer, p.key, 1 FROM events.publication p
      WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = ANY($1::text[])
        AND (p.consumer, p.key) < ($6::text, $7::text)
      ORDER BY p.consumer, p.key LIMIT 1)
    UNION ALL
    SELECT nxt.consumer, nxt.key, s.n + 1 FROM before_start s CROSS JOIN LATERAL (
      SELECT p.consumer, p.key FROM events.publication p
       WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = ANY($1::text[])
         AND (p.consumer, p.key) > (s.consumer, s.key) AND (p.consumer, p.key) < ($6::text, $7::text)
       ORDER BY p.consumer, p.key LIMIT 1) nxt
    WHERE s.n < $5
  ),
  keys AS (
    SELECT consumer, key FROM (
      (SELECT consumer, key FROM after_start LIMIT $5)
      UNION ALL
      (SELECT consumer, key FROM before_start LIMIT $5)
    ) k LIMIT $5
  ),
  runs AS (
    SELECT r.id FROM keys k CROSS JOIN LATERAL (
      SELECT p.id, p.available_at, p.claimed_until FROM events.publication p
       WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = k.consumer AND p.key = k.key
       ORDER BY p.consumer, p.key, p.id LIMIT $8) r
    -- Only runs whose oldest row is free: a key with a row in flight or backing off waits.
    WHERE NOT EXISTS (
      SELECT 1 FROM (
        SELECT p.available_at, p.claimed_until FROM events.publication p
         WHERE p.status = 'pending' AND p.key IS NOT NULL AND p.consumer = k.consumer AND p.key = k.key
         ORDER BY p.consumer, p.key, p.id LIMIT 1) head
       WHERE head.available_at > clock_timestamp() OR head.claimed_until >= clock_timestamp())
      AND r.available_at <= clock_timestamp()
  ),
  keyless AS (
    SELECT x.id FROM unnest($1::text[]) AS c(name) CROSS JOIN LATERAL (
      SELECT p.id FROM events.publication p
       WHERE p.status = 'pending' AND p.key IS NULL AND p.consumer = c.name
         AND p.available_at <= clock_timestamp()
         AND (p.claimed_until IS NULL OR p.claimed_until < clock_timestamp())
       ORDER BY p.id LIMIT $2) x
  ),
  candidates AS (
    SELECT p.id FROM events.publication p
     WHERE p.id = ANY (ARRAY(SELECT id FROM runs UNION ALL SELECT id FROM keyless))
       AND p.status = 'pending'
       AND (p.claimed_until IS NULL OR p.claimed_until < clock_timestamp())
     ORDER BY p.id
     LIMIT $2
     FOR UPDATE SKIP LOCKED
  ),
  claimed AS (
    UPDATE events.publication p
       SET claim_token = $3::uuid,
           claimed_until = clock_timestamp() + $4::int * interval '1 millisecond',
           attempts = p.attempts + 1
      FROM candidates c
     WHERE p.id = c.id
    RETURNING p.id, p.consumer, p.attempts, p.event_id
  )
SELECT c.id::text AS id, c.consumer, c.attempts, e.id AS event_id, e.type, e.version, e.key, e.payload,
       e.traceparent, e.published_at
  FROM claimed c JOIN events.event e ON e.id = c.event_id
 ORDER BY c.id`;
