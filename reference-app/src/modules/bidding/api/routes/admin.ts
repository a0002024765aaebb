import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BID_STRATEGIES, type BidPlacementStrategy } from '../../application/ports.js';

export const BiddingMetricsDto = Type.Object({
  strategy: Type.Union(BID_STRATEGIES.map((s) => Type.Literal(s))),
  /**
   * Statements or transactions the strategy ran again since this process started (never
   * reset; per process, so several app processes each count their own). Rollbacks in
   * pg_stat_database are not this: they include refused bids and set-up.
   */
  retries: Type.Integer({ minimum: 0 }),
});

export function adminRoutes(strategy: Pick<BidPlacementStrategy, 'name' | 'retries'>): FastifyPluginAsyncTypebox {
  return async (app) => {
    // What the bid strategy of this process did: read by the write-contention scenario around each step.
    app.get(
      '/bidding/metrics',
      {
        config: { auth: { context: 'admin', permission: 'bids:metrics' } },
        schema: { response: { 200: BiddingMetricsDto } },
      },
      async () => ({ strategy: strategy.name, retries: strategy.retries() }),
    );
  };
}
