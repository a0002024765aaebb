import { build, type App } from '../../src/app.js';
import { BID_STRATEGIES, type BidStrategyName } from '../../src/modules/bidding/index.js';
import { startTestApp, TEST_TOKEN_SECRET, userWithToken, type TestApp, type TestUser } from './test-app.js';

/** One app per bid strategy on one test database, a seller and some bidders whose tokens every app accepts. */
export interface StrategyApps {
  t: TestApp;
  apps: Map<BidStrategyName, App>;
  seller: TestUser;
  bidders: TestUser[];
  close(): Promise<void>;
}

export async function startStrategyApps(bidderCount: number): Promise<StrategyApps> {
  const t = await startTestApp();
  const seller = await userWithToken(t.app, 'seller');
  const bidders = await Promise.all(Array.from({ length: bidderCount }, () => userWithToken(t.app, 'consumer')));
  const apps = new Map<BidStrategyName, App>();
  for (const strategy of BID_STRATEGIES) {
    const app = await build({
      databaseUrl: t.db.url,
      tokenSecret: TEST_TOKEN_SECRET,
      relay: false,
      migrate: false,
      bidStrategy: strategy,
      // Eight connections give real races in Postgres, and two such files running side by
      // side stay under the test server's 100 connections.
      poolMax: 8,
    });
    await app.ready();
    apps.set(strategy, app);
  }
  return {
    t,
    apps,
    seller,
    bidders,
    async close() {
      for (const app of apps.values()) await app.close();
      await t.close();
    },
  };
}
