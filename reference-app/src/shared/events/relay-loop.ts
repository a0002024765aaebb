import type pg from 'pg';
import type { BusLogger } from './logger.js';
import { claimPublications, deliverGroup, type ClaimedPublication, type RelaySettings } from './relay.js';
import type { Subscriptions } from './subscriptions.js';
import { NotifyListener } from './wakeup.js';

export interface RelayLoopSettings extends RelaySettings {
  /** Poll when idle and no NOTIFY arrives (also the pick-up time of retries when idle). */
  pollIntervalMs: number;
  /** Poll interval while busy: for `hotWindowMs` after the last claim that found work. */
  hotPollMs: number;
  hotWindowMs: number;
  /** Publish sends NOTIFY and the relay LISTENs; false = polling only. */
  notify: boolean;
  /**
   * A publishing process sends at most one NOTIFY per this many ms. Postgres serialises the
   * commits of notifying transactions on one lock (held through the WAL flush), so a NOTIFY
   * per transaction caps publishing at one commit per fsync; busy relays poll fast instead.
   */
  notifyThrottleMs: number;
}

/**
 * Claims due publications and delivers them, `concurrency` transactions at a time. A claim that
 * came back full is followed by another at once; otherwise the loop waits for a NOTIFY or the
 * next poll (`hotPollMs` while busy), so a busy relay claims about once per `hotPollMs`, not
 * once per finished delivery: each claim is a statement and a commit, and at 200 bids/s the old
 * refill-on-every-delivery claimed about once per bid (issue 16). A NOTIFY that arrives while
 * deliveries run is answered when one of them finishes (see kick). Claims are refilled while
 * deliveries run, so one slow handler does not stall the others.
 */
export class RelayLoop {
  private running = false;
  private woken = false;
  /** A NOTIFY came while deliveries were in flight: claim when one of them finishes. */
  private wakeOnFinish = false;
  private readonly inFlight = new Set<Promise<void>>();
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
      this.listener = NotifyListener.forPool(this.pool, () => this.kick(), this.logger);
      await this.listener.start();
    }
    this.loopDone = this.loop();
  }

  /**
   * New work was published (a NOTIFY). With no delivery in flight the loop claims at once. With
   * deliveries in flight it claims when the next one finishes (or at the next poll): a claim
   * made now would skip every key whose run is in flight, and on one hot key that is all of
   * them, so the claim would come back empty and the key would wait for the poll after its
   * delivery (issue 16's lag).
   */
  kick(): void {
    this.woken = true;
    if (this.inFlight.size === 0) this.wakeSleeper?.();
    else this.wakeOnFinish = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.woken = true;
    this.wakeSleeper?.();
    await this.loopDone;
    await this.listener?.stop();
  }

  private async loop(): Promise<void> {
    const { concurrency, groupSize, batchSize, leaseMs, pollIntervalMs, hotPollMs, hotWindowMs } = this.settings;
    const inFlight = this.inFlight;
    let lastWorkAt = 0;
    while (this.running) {
      this.woken = false;
      this.wakeOnFinish = false;
      const room = concurrency - inFlight.size;
      // Refill when half the slots are free (or all are): one claim then feeds several groups.
      if (room < Math.ceil(concurrency / 2) && inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      let claimed: ClaimedPublication[] = [];
      const limit = Math.min(batchSize, room * groupSize);
      try {
        claimed = await claimPublications(this.pool, this.consumers(), limit, leaseMs, groupSize);
      } catch (err) {
        this.logger.error({ err: String(err) }, 'claiming event publications failed; retrying after the poll interval');
        // The database is away: retry at the idle pace, not the busy one, and log once per try.
        lastWorkAt = 0;
        await this.sleep(pollIntervalMs);
        continue;
      }
      for (const group of splitClaim(claimed, room, groupSize)) {
        const p: Promise<void> = deliverGroup(this.pool, this.subscriptions, group, this.settings, this.logger)
          .then(() => undefined)
          .catch((err) => {
            // The claims stay until their lease ends; a later claim retries them.
            this.logger.error({ err: String(err), publications: group.map((c) => c.publicationId) }, 'delivering event publications failed');
          })
          .finally(() => {
            inFlight.delete(p);
            // A loop waiting for room wakes through Promise.race. A sleeping one claims now only
            // if a NOTIFY came meanwhile (its key may be this run's); otherwise at its next poll.
            if (this.wakeOnFinish) {
              this.wakeOnFinish = false;
              this.wakeSleeper?.();
            }
          });
        inFlight.add(p);
      }
      if (claimed.length > 0) lastWorkAt = Date.now();
      // A full claim may have left more behind: claim again as soon as there is room.
      if (claimed.length >= limit) continue;
      if (!this.woken) await this.sleep(Date.now() - lastWorkAt < hotWindowMs ? hotPollMs : pollIntervalMs);
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

/**
 * Splits a claim into delivery groups, one transaction each: as few as hold `groupSize` apiece,
 * and at most `groups` (the free delivery slots). A small claim is ONE group even when it spans
 * several keys: every delivery transaction is a commit and a pool connection, and a claim of
 * two bids' events used to take two. Each key's run stays whole and in id order inside one
 * group: groups run concurrently, so splitting a run would break per-key order. Runs and
 * keyless publications go to the smallest group so far; the claim's limit (slots x groupSize)
 * keeps groups near groupSize.
 */
export function splitClaim(claimed: ReadonlyArray<ClaimedPublication>, groups: number, groupSize: number): ClaimedPublication[][] {
  if (claimed.length === 0 || groups <= 0) return [];
  const wanted = Math.min(groups, Math.max(1, Math.ceil(claimed.length / groupSize)));
  const units = new Map<string, ClaimedPublication[]>();
  claimed.forEach((c, i) => {
    const id = c.event.key === undefined ? `#${i}` : `${c.consumer}\u0000${c.event.key}`;
    const unit = units.get(id);
    if (unit) unit.push(c);
    else units.set(id, [c]);
  });
  const out: ClaimedPublication[][] = Array.from({ length: Math.min(wanted, units.size) }, () => []);
  for (const unit of units.values()) {
    const smallest = out.reduce((a, b) => (b.length < a.length ? b : a));
    smallest.push(...unit);
  }
  return out;
}
