import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { BusLogger } from './logger.js';
import { WAKE_CHANNEL } from './publish.js';

/**
 * Holds one pool connection for LISTEN and calls `onWake` on every NOTIFY. NOTIFY is only a
 * hint: a notification sent while we are reconnecting is lost, which is why the relay also
 * polls. start() probes the channel once; behind a pooler in transaction mode (PgBouncer)
 * LISTEN silently never fires, and we say so instead of waiting for events that never come.
 */
export class NotifyListener {
  private client: pg.PoolClient | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** True once a self-probe round-tripped; false means the relay runs on polling alone. */
  working = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onWake: () => void,
    private readonly logger: BusLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const probe = `probe-${randomUUID()}`;
      let probed: () => void = () => {};
      const probeArrived = new Promise<void>((resolve) => (probed = resolve));
      client.on('notification', (msg) => {
        if (msg.payload === probe) probed();
        else this.onWake();
      });
      client.on('error', (err) => this.lost(err));
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
      this.client = client;
      await client.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, probe]);
      const ok = await Promise.race([probeArrived.then(() => true), delay(2000).then(() => false)]);
      this.working = ok;
      if (!ok) this.logger.warn({ channel: WAKE_CHANNEL }, 'LISTEN/NOTIFY self-probe got no answer (pooler?); the relay falls back to polling');
      // Events may have been published while we were not listening.
      this.onWake();
    } catch (err) {
      if (client && client !== this.client) client.release(true);
      this.lost(err);
    }
  }

  private lost(err: unknown): void {
    this.working = false;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('notification');
      client.release(err instanceof Error ? err : true);
    }
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
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('notification');
      await client.query(`UNLISTEN ${WAKE_CHANNEL}`).catch(() => {});
      client.release();
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
