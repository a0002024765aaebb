import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BusLogger } from './logger.js';
import { WAKE_CHANNEL } from './publish.js';

/** How the listener opens its connection: by default a client with the pool's own settings. */
export type ListenConnector = () => pg.Client;

/**
 * Holds one connection for LISTEN and calls `onWake` on every NOTIFY. The connection is a
 * pg.Client of its own, opened with the pool's settings but outside the pool: a LISTEN session
 * lives as long as the process, and held from the pool it left requests one connection fewer
 * than DB_POOL_MAX (issue 16). It has its own error listener, reconnects 1 s after it is lost,
 * and is closed by stop(). NOTIFY is only a hint: a notification sent while we are reconnecting
 * is lost, which is why the relay also polls. start() probes the channel once; behind a pooler
 * in transaction mode (PgBouncer) LISTEN silently never fires, and we say so instead of waiting
 * for events that never come.
 */
export class NotifyListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** True once a self-probe round-tripped; false means the relay runs on polling alone. */
  working = false;
  /** Server process id of the current LISTEN session (operators and tests). */
  backendPid: number | undefined;

  constructor(
    private readonly connector: ListenConnector,
    private readonly onWake: () => void,
    private readonly logger: BusLogger,
  ) {}

  /** A listener whose connection has `pool`'s settings (connection string, name, timeouts). */
  static forPool(pool: pg.Pool, onWake: () => void, logger: BusLogger): NotifyListener {
    return new NotifyListener(() => new pg.Client({ ...pool.options }), onWake, logger);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = this.connector();
    // Listening before connect(): a connection that dies at any point must reach lost(), never
    // an EventEmitter without an `error` listener (that would end the process).
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    this.client = client;
    try {
      await client.connect();
      const probe = `probe-${randomUUID()}`;
      let probed: () => void = () => {};
      const probeArrived = new Promise<void>((resolve) => (probed = resolve));
      client.on('notification', (msg) => {
        if (msg.payload === probe) probed();
        else this.onWake();
      });
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
      this.backendPid = (client as pg.Client & { processID?: number }).processID ?? undefined;
      await client.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, probe]);
      const ok = await Promise.race([probeArrived.then(() => true), delay(2000).then(() => false)]);
      if (this.client !== client) return; // lost or stopped meanwhile
      this.working = ok;
      if (!ok) this.logger.warn({ channel: WAKE_CHANNEL }, 'LISTEN/NOTIFY self-probe got no answer (pooler?); the relay falls back to polling');
      // Events may have been published while we were not listening.
      this.onWake();
    } catch (err) {
      this.lost(client, err);
    }
  }

  /** Drops `client` (if it is still ours) and schedules a reconnect unless stopped. */
  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.working = false;
    this.client = undefined;
    this.backendPid = undefined;
    client.removeAllListeners('notification');
    // Keeps its error listener: the dying socket may still report after this.
    client.end().catch(() => {});
    if (this.stopped || this.reconnectTimer) return;
    this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'LISTEN connection lost; polling until it is back');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.connect();
    }, 1000);
    this.reconnectTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    this.working = false;
    this.backendPid = undefined;
    if (client) {
      client.removeAllListeners('notification');
      // Closing the session ends its LISTEN too; no UNLISTEN round trip needed.
      await client.end().catch(() => {});
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
