import type pg from 'pg';

/**
 * Consumer lag per event, from the outbox's own rows (PostgreSQL's clock at both ends, so no
 * clock of the runner is involved):
 *
 * - start: `events.event.published_at`, set by `clock_timestamp()` when the event row is inserted
 *   in the publisher's (the bid's) transaction. The commit follows within that transaction, so
 *   the lag reads high by at most the rest of the bid's transaction.
 * - end: `events.inbox.handled_at` of the consumer, set when the delivery transaction records
 *   the event as handled, just before the handler runs in that same transaction. It does not
 *   depend on where the consumer runs: the app's relay, a worker, or a JetStream subscriber all
 *   write the inbox row.
 *
 * An event with no inbox row when the rows are read is still pending: it is counted in the
 * percentiles with its age at that moment, a lower bound of its lag (censored), never left out.
 */
export interface LagRow {
  /** published_at, epoch milliseconds (database clock). */
  publishedMs: number;
  /** handled_at, epoch milliseconds (database clock), or null while pending. */
  handledMs: number | null;
}

export interface LagSummary {
  events: number;
  /** Handled (an inbox row) when the rows were read. */
  handled: number;
  /** Not handled yet when the rows were read; their lag is their age then (a lower bound). */
  pending: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Handled events per second between the first event and the last handling (0 with fewer than 2 handled). */
  handledPerS: number;
  /** Events published per second between the first and the last event (0 with fewer than 2). */
  publishedPerS: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Nearest-rank percentile of sorted values (q in (0, 1]): the smallest value with at least q of the values at or below it. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

/** Summarises per-event lags; `readAtMs` (database clock) is when the rows were read, the age of what is still pending. */
export function summariseLag(rows: readonly LagRow[], readAtMs: number): LagSummary {
  const lags = rows.map((r) => Math.max(0, (r.handledMs ?? readAtMs) - r.publishedMs)).sort((a, b) => a - b);
  const handled = rows.filter((r) => r.handledMs !== null);
  const first = Math.min(...rows.map((r) => r.publishedMs));
  const last = Math.max(...handled.map((r) => r.handledMs!));
  const lastPublished = Math.max(...rows.map((r) => r.publishedMs));
  return {
    events: rows.length,
    handled: handled.length,
    pending: rows.length - handled.length,
    p50Ms: r1(nearestRank(lags, 0.5)),
    p99Ms: r1(nearestRank(lags, 0.99)),
    maxMs: r1(lags.length ? lags[lags.length - 1]! : 0),
    handledPerS: handled.length >= 2 && last > first ? r1((handled.length / (last - first)) * 1000) : 0,
    publishedPerS: rows.length >= 2 && lastPublished > first ? r1((rows.length / (lastPublished - first)) * 1000) : 0,
  };
}

/** Which events: the types the consumer handles, published in [fromMs, toMs] (database clock). */
export interface LagWindow {
  consumer: string;
  eventTypes: readonly string[];
  fromMs: number;
  toMs: number;
}

const IN_WINDOW = `e.type = ANY($2::text[])
     AND e.published_at >= to_timestamp($3::float8 / 1000)
     AND e.published_at <= to_timestamp($4::float8 / 1000)`;

const params = (w: LagWindow) => [w.consumer, [...w.eventTypes], w.fromMs, w.toMs];

/** The database's clock now, epoch milliseconds. */
export async function dbNowMs(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ now_ms: number }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms`);
  return rows[0]!.now_ms;
}

/** Events of the window the consumer has not handled yet. */
export async function pendingCount(client: pg.ClientBase, w: LagWindow): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events.event e
      WHERE ${IN_WINDOW}
        AND NOT EXISTS (SELECT 1 FROM events.inbox i WHERE i.consumer = $1 AND i.event_id = e.id)`,
    params(w),
  );
  return rows[0]!.n;
}

/** Every event of the window with its handling time, and the database's clock at the read. */
export async function readLag(client: pg.ClientBase, w: LagWindow): Promise<{ rows: LagRow[]; readAtMs: number; summary: LagSummary }> {
  const res = await client.query<{ published_ms: number; handled_ms: number | null; read_ms: number }>(
    `SELECT (extract(epoch FROM e.published_at) * 1000)::float8 AS published_ms,
            (extract(epoch FROM i.handled_at) * 1000)::float8 AS handled_ms,
            (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS read_ms
       FROM events.event e
       LEFT JOIN events.inbox i ON i.consumer = $1 AND i.event_id = e.id
      WHERE ${IN_WINDOW}`,
    params(w),
  );
  const readAtMs = res.rows[0]?.read_ms ?? (await dbNowMs(client));
  const rows = res.rows.map((r) => ({ publishedMs: r.published_ms, handledMs: r.handled_ms }));
  return { rows, readAtMs, summary: summariseLag(rows, readAtMs) };
}
