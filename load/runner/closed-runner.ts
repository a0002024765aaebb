import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { evidenceTimestamp } from 'archfit';
import { loadScenario } from '../scenarios/load-scenario.js';
import type { ProfileName, RequestTemplate } from '../scenarios/schema.js';
import { REPO_ROOT, startApp } from './app-process.js';
import { runClosedModel, type ClosedModelResult } from './closed-model.js';
import { createDatabase, resolveAdminServer } from './database.js';
import { gitCommit, machineFacts } from './evidence.js';
import { expand, prng, risingAmounts, seedIdentities, seedListings, tokenFor, weightedPicker } from './fixture.js';

const CONNECTIONS = [10, 50];

/**
 * `--runner autocannon`: closed-model throughput of each scenario's requests at fixed
 * connection counts, for before/after regression comparisons. Closed-model latency hides
 * stalls (coordinated omission), so this writes `<scenario>-autocannon-<ts>.summary.json`,
 * never trigger evidence, and judges no SLO.
 */
export async function runAutocannon(ids: string[], profile: ProfileName, resultsDir: string): Promise<number> {
  const admin = await resolveAdminServer();
  const durationS = profile === 'full' ? 10 : profile === 'quick' ? 3 : 1;
  try {
    for (const id of ids) {
      const { scenario, hash } = await loadScenario(id);
      const db = await createDatabase(admin.url, `ac_${id}`);
      const app = await startApp({ env: { ...scenario.appEnv, DATABASE_URL: db.url } });
      try {
        const tokens = await seedIdentities(app.url, scenario.seed.consumers);
        const listings = await seedListings(app.url, tokens.seller[0]!, scenario.seed.listings, { title: 'Closed-model listing', priceCents: 1000, stock: 5 });
        const fx = { tokens, listings };
        const mix: RequestTemplate[] = scenario.kind === 'dau' ? scenario.mix : scenario.kind === 'module-cost' ? scenario.routes : scenario.kind === 'write-contention' || scenario.kind === 'notification-lag' ? [scenario.write] : [scenario.fast];
        const random = prng(11);
        const pick = weightedPicker(mix, random);
        const amountFor = risingAmounts(1000);
        const runs: Array<ClosedModelResult & { reqPerS: number }> = [];
        for (const connections of CONNECTIONS) {
          const r = await runClosedModel({
            target: app.url,
            connections,
            durationS,
            okStatuses: [200, 201, 404, 422],
            next: (n) => {
              const t = pick();
              const listing = listings[Math.floor(random() * listings.length)]!;
              return expand(t, { n, listing, token: tokenFor(t, fx, n), amount: amountFor(listing) });
            },
          });
          const reqPerS = Math.round((r.requests / Math.max(0.001, r.durationS)) * 10) / 10;
          runs.push({ ...r, reqPerS });
          process.stdout.write(`${id} closed model, ${connections} connections: ${reqPerS} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (closed-model latency), ${r.requests - r.ok} unexpected statuses\n`);
        }
        await mkdir(resultsDir, { recursive: true });
        const file = path.join(resultsDir, `${id}-autocannon-${evidenceTimestamp(new Date())}.summary.json`);
        await writeFile(file, `${JSON.stringify({ scenario: id, definitionHash: hash, runner: 'autocannon', model: 'closed', commit: await gitCommit(REPO_ROOT), machine: machineFacts(), durationS, runs }, null, 2)}\n`);
        process.stdout.write(`  summary ${path.relative(process.cwd(), file)}\n`);
      } finally {
        await app.stop();
        await db.drop().catch(() => {});
      }
    }
  } finally {
    await admin.stop();
  }
  return 0;
}
