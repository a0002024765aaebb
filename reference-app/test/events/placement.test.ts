import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationsModule } from '../../src/modules/notifications/index.js';
import { bidOutbid } from '../../src/modules/bidding/index.js';
import {
  createEventBus,
  placementOf,
  PlacementConfigError,
  runsInApp,
  runsInWorker,
  type PostgresEventBus,
} from '../../src/shared/events/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { count, inTx, waitFor } from './support.js';

describe('placement from the environment', () => {
  it('reads <MODULE>_RUN per consumer and names the variable when the value is wrong', () => {
    expect(placementOf('notifications', {})).toBe('in-process');
    expect(placementOf('notifications', { NOTIFICATIONS_RUN: 'worker' })).toBe('worker');
    expect(placementOf('notifications.digest', { NOTIFICATIONS_RUN: 'jetstream' })).toBe('jetstream');
    expect(() => placementOf('notifications', { NOTIFICATIONS_RUN: 'elsewhere' })).toThrow(PlacementConfigError);
    expect(() => placementOf('notifications', { NOTIFICATIONS_RUN: 'elsewhere' })).toThrow(/NOTIFICATIONS_RUN="elsewhere"/);
    expect(runsInApp({ NOTIFICATIONS_RUN: 'worker' })('notifications')).toBe(false);
    expect(runsInApp({ NOTIFICATIONS_RUN: 'worker' })('orders')).toBe(true);
    expect(runsInWorker(['notifications'])('notifications.digest')).toBe(true);
    expect(runsInWorker(['notifications'])('orders')).toBe(false);
  });
});

describe('NOTIFICATIONS_RUN=worker', () => {
  let t: TestApp;
  let worker: PostgresEventBus | undefined;
  const saved = process.env.NOTIFICATIONS_RUN;

  beforeAll(async () => {
    process.env.NOTIFICATIONS_RUN = 'worker';
    t = await startTestApp({ relay: true });
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.NOTIFICATIONS_RUN;
    else process.env.NOTIFICATIONS_RUN = saved;
    await worker?.stop();
    await t?.close();
  });

  it('the app leaves notifications to a worker, which runs the same module unchanged', async () => {
    expect(t.app.events.runningConsumers()).not.toContain('notifications');
    const bidderId = randomUUID();
    await inTx(t.app.pool, (tx) =>
      t.app.events.publish(
        [bidOutbid.create({ listingId: randomUUID(), outbidBidId: randomUUID(), outbidBidderId: bidderId, outbidAmountCents: 100, newAmountCents: 200 })],
        tx,
      ),
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(await count(t.app.pool, `SELECT count(*) n FROM events.publication WHERE consumer = 'notifications' AND status = 'pending'`)).toBe(1);
    expect(await count(t.app.pool, 'SELECT count(*) n FROM notifications.notification')).toBe(0);

    // What `npm run worker -- notifications` builds: a bus running only that module's consumer.
    worker = createEventBus({ pool: t.app.pool, consumers: runsInWorker(['notifications']), ensureSchema: false });
    createNotificationsModule({ pool: t.app.pool, events: worker, logger: t.app.log });
    await worker.start();
    await waitFor('the worker handled it', async () =>
      (await count(t.app.pool, 'SELECT count(*) n FROM notifications.notification WHERE recipient_id = $1', [bidderId])) === 1,
    );
  });
});
