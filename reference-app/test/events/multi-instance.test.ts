import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { build, type App } from '../../src/app.js';
import { bidPlaced } from '../../src/modules/bidding/index.js';
import { TEST_TOKEN_SECRET } from '../helpers/test-app.js';
import { count, inTx, waitFor } from './support.js';

// Two app instances and one notifications worker compete for the same consumer's
// publications. Each process logs every delivery it commits; no publication may be handled
// by two of them, and every one must be handled by one.
const EVENTS = 900;
const WORKER = fileURLToPath(new URL('../../src/worker.ts', import.meta.url));

interface Delivery {
  publicationId: string;
  outcome: string;
  by: string;
}

let db: TestDatabase;
const apps: App[] = [];
let worker: ChildProcess | undefined;
const deliveries: Delivery[] = [];

function collector(by: string) {
  let buffered = '';
  return (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('event publication delivered')) continue;
      const entry = JSON.parse(line) as { publicationId: string; outcome: string };
      deliveries.push({ publicationId: entry.publicationId, outcome: entry.outcome, by });
    }
  };
}

beforeAll(async () => {
  db = await createTestDatabase('events_multi');
  for (const name of ['app-a', 'app-b']) {
    const write = collector(name);
    apps.push(
      await build({
        databaseUrl: db.url,
        tokenSecret: TEST_TOKEN_SECRET,
        relay: true,
        docs: false,
        logger: { level: 'debug', stream: { write } },
      }),
    );
    await apps.at(-1)!.ready();
  }
  worker = spawn(process.execPath, ['--import', 'tsx', WORKER, 'notifications'], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'debug', NOTIFICATIONS_RUN: 'worker' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const write = collector('worker');
  let stderr = '';
  worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    worker!.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      write(text);
      if (text.includes('worker ready')) resolve();
    });
    worker!.once('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
  });
});

afterAll(async () => {
  worker?.kill('SIGTERM');
  for (const app of apps) await app.close();
  await db?.drop();
});

it('two app instances and a worker never handle the same publication twice', async () => {
  const sellerId = randomUUID();
  for (let batch = 0; batch < EVENTS / 30; batch++) {
    const app = apps[batch % 2]!;
    await inTx(app.pool, (tx) =>
      app.events.publish(
        Array.from({ length: 30 }, (_, i) =>
          bidPlaced.create({
            bidId: randomUUID(),
            listingId: randomUUID(),
            bidderId: randomUUID(),
            sellerId,
            amountCents: 100 + batch * 30 + i,
            placedAt: new Date().toISOString(),
          }),
        ),
        tx,
      ),
    );
  }
  const pool = apps[0]!.pool;
  await waitFor(
    'all notices',
    async () => (await count(pool, 'SELECT count(*) n FROM notifications.notification')) === EVENTS,
    30_000,
  );
  await waitFor('every publication completed', async () =>
    (await count(pool, `SELECT count(*) n FROM events.publication WHERE status <> 'completed'`)) === 0,
  );
  // Let the last log lines of the worker arrive.
  await new Promise((r) => setTimeout(r, 300));

  const handled = deliveries.filter((d) => d.outcome === 'handled');
  const byPublication = new Map<string, string[]>();
  for (const d of handled) byPublication.set(d.publicationId, [...(byPublication.get(d.publicationId) ?? []), d.by]);
  const twice = [...byPublication.values()].filter((by) => by.length > 1);
  const share = Object.fromEntries(['app-a', 'app-b', 'worker'].map((p) => [p, handled.filter((d) => d.by === p).length]));
  process.stdout.write(`multi-instance: ${handled.length} deliveries handled, shared as ${JSON.stringify(share)}, twice ${twice.length}\n`);

  expect(twice).toEqual([]);
  expect(byPublication.size).toBe(EVENTS);
  expect(Object.values(share).filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  expect(await count(pool, 'SELECT count(*) n FROM notifications.delivery')).toBe(EVENTS);
});
