import type pg from 'pg';
import type { BusLogger } from './logger.js';
import { claimPublications, deliver, type ClaimedPublication, type RelaySettings } from './relay.js';
import type { Subscriptions } from './subscriptions.js';
import { NotifyListener } from './wakeup.js';

export interface RelayLoopSettings extends RelaySettings {
  /** Fallback poll when no NOTIFY arrives (and the pick-up time of retries). */
  pollIntervalMs: number;
  /** Publish sends NOTIFY and the relay LISTENs; false = polling only. */
  notify: boolean;
}

/**
 * Claims due publications and delivers them, `concurrency` at a time, for as long as there is
 * work; then sleeps until a NOTIFY or the poll interval. Claims are refilled as deliveries
 * finish, so one slow handler does not stall the others.
 */
export class RelayLoop {
  private running = false;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private listener: NotifyListener | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly subscriptions: Subscriptions,
    private readonly settings: RelayLoopSettings,
    private readonly consumers: () => string[],
    private readonly logger: BusLogger,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    if (this.settings.notify) {
      this.listener = new NotifyListener(this.pool, () => this.kick(), this.logger);
      await this.listener.start();
    }
    this.loopDone = this.loop();
  }

  kick(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loopDone;
    await this.listener?.stop();
  }

  private async loop(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      this.woken = false;
      const room = this.settings.concurrency - inFlight.size;
      let claimed: ClaimedPublication[] = [];
      if (room > 0) {
        try {
          claimed = await claimPublications(this.pool, this.consumers(), Math.min(room, this.settings.batchSize), this.settings.leaseMs);
        } catch (err) {
          this.logger.error({ err: String(err) }, 'claiming event publications failed; retrying after the poll interval');
        }
      }
      for (const c of claimed) {
        const p: Promise<void> = deliver(this.pool, this.subscriptions, c, this.settings, this.logger)
          .then(() => undefined)
          .catch((err) => {
            // The claim stays until its lease ends; another claim retries it then.
            this.logger.error({ err: String(err), publicationId: c.publicationId }, 'delivering an event publication failed');
          })
          .finally(() => {
            inFlight.delete(p);
            this.kick();
          });
        inFlight.add(p);
      }
      if (claimed.length > 0 && claimed.length === room) {
        // Full: wait for a slot before claiming more.
        await Promise.race(inFlight);
        continue;
      }
      if (claimed.length > 0) continue; // Got some: there may be more, claim again.
      if (!this.woken) await this.sleep(this.settings.pollIntervalMs);
    }
    await Promise.allSettled(inFlight);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = () => {
        this.wakeSleeper = undefined;
        done();
      };
    });
  }
}
