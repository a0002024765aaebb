import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDefinitionFile } from '../runner/http-mix-definition.js';
import { buildPlan } from '../runner/k6-generate.js';
import { stepRequest } from '../runner/k6-plan.js';
import { contentionBid, contentionOffsets } from '../runner/write-contention.js';
import type { ProfileName } from '../scenarios/schema.js';

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scenarios');
// What the runner seeds for write-contention: consumers, one hot listing and the uniform rows.
const fixture = { tokens: { consumer: ['c1', 'c2', 'c3'], seller: ['s1'], admin: [] }, listings: ['hot', 'u1', 'u2', 'u3', 'u4'] };

// write-contention keeps its own kind (strategies, pg_stat counters, lock sampling, the ceiling)
// but draws its bids from the shared seeded stream: what the generated k6 script sends.
describe('write-contention: the in-repo runner and the generated k6 script send the same bids', () => {
  it.each(['full', 'quick', 'test'] as ProfileName[])('%s profile', async (profile) => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'write-contention.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'write-contention' }>;
    const plan = await buildPlan(definition, { profile, fixture, strategy: def.currentStrategy });
    const p = def.profiles[profile];
    const offsets = contentionOffsets(fixture.listings.length, p);
    const runs = [
      { rows: 'hot' as const, offset: offsets.hot, count: Math.floor(p.rate * p.durationS) },
      { rows: 'uniform' as const, offset: offsets.uniform, count: Math.floor(p.rate * p.durationS) },
      ...(p.ceilingDurationS > 0 ? [{ rows: 'hot' as const, offset: offsets.ceiling, count: 200 }] : []),
    ];
    expect(runs.map((r) => r.offset)).toEqual(plan.steps.map((k) => k.offset));
    runs.forEach((r, i) => {
      const k = plan.steps[i]!;
      const sent = Array.from({ length: r.count }, (_, n) => contentionBid(def, fixture, r.rows, r.offset + n));
      expect(sent, k.name).toEqual(sent.map((_, n) => stepRequest(plan, k, n, {})));
    });
    // Every measured bid outbids the opening bids (start + 10), and the hot rows stay on one listing.
    const first = contentionBid(def, fixture, 'hot', offsets.hot);
    expect(JSON.parse(first.body!).amountCents).toBeGreaterThan(def.listing.priceCents + 10);
    expect(new Set(Array.from({ length: 50 }, (_, n) => contentionBid(def, fixture, 'hot', offsets.hot + n).path)).size).toBe(1);
    expect(new Set(Array.from({ length: 200 }, (_, n) => contentionBid(def, fixture, 'uniform', offsets.uniform + n).path)).size).toBe(4);
  });
});
