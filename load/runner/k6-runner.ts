import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evidenceTimestamp } from 'archfit';
import { SCENARIOS_DIR } from '../scenarios/load-scenario.js';
import type { ProfileName } from '../scenarios/schema.js';
import { REPO_ROOT, startApp, type RunningApp } from './app-process.js';
import { createDatabase, resolveAdminServer } from './database.js';
import { writeEvidence } from './evidence.js';
import { seedIdentities, seedListings } from './fixture.js';
import { readDefinitionFile } from './http-mix-definition.js';
import type { AppFixture } from './http-mix-stream.js';
import { buildPlan, generateK6Script } from './k6-generate.js';
import { importK6Summary, mergeK6Evidence } from './k6-import.js';
import type { Evidence } from './evidence.js';

/** What one app start is for: a strategy (write-contention), a mode (compute-latency) or neither. */
interface Variant {
  env: Record<string, string>;
  strategy?: string;
  mode?: string;
}

function k6Version(): string {
  try {
    return execFileSync('k6', ['version'], { encoding: 'utf8' }).trim().split(/\s+/)[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * `--runner k6`: for each scenario, and each strategy or execution mode its profile lists,
 * start the app on a fresh database, seed it as the in-repo runner does, generate the k6 script
 * from the definition (fixture bundled), run k6, and import its summary as evidence
 * (`runner: k6`). k6 judges its own per-step thresholds (exit 99 when one fails, which a
 * capacity search expects); the evidence's verdicts come from the definition, as always.
 */
export async function runK6(ids: string[], profile: ProfileName, resultsDir = path.join(REPO_ROOT, 'load/results')): Promise<number> {
  const admin = await resolveAdminServer();
  const dir = await mkdtemp(path.join(tmpdir(), 'archfit-k6-'));
  const version = k6Version();
  let worst = 0;
  try {
    for (const id of ids) {
      const definition = await readDefinitionFile(path.join(SCENARIOS_DIR, `${id}.json`));
      const s = definition.scenario;
      const variants: Variant[] =
        s.kind === 'write-contention'
          ? (s.profiles[profile].strategies ?? s.strategies).map((strategy) => ({ env: { BID_STRATEGY: strategy }, strategy }))
          : s.kind === 'compute-latency'
            ? (s.profiles[profile].modes ?? s.modes).map((mode) => ({ env: { ASSISTANT_EXECUTION: mode }, mode }))
            : [{ env: {} }];
      if (s.kind === 'compute-latency' && variants.some((v) => v.mode === 'service')) {
        process.stderr.write(`${id}: the service mode needs the models service beside the app; run it with the in-repo runner (k6 runs inline and pool here)\n`);
      }
      const runs: Evidence[] = [];
      for (const variant of variants.filter((v) => v.mode !== 'service')) {
        if (s.kind === 'http-mix') continue;
        const db = await createDatabase(admin.url, `k6_${id}`);
        let app: RunningApp | undefined;
        try {
          app = await startApp({ env: { ...s.appEnv, ...variant.env, DATABASE_URL: db.url } });
          const tokens = await seedIdentities(app.url, s.seed.consumers);
          const fixture: AppFixture =
            s.kind === 'dau' || s.kind === 'module-cost'
              ? {
                  tokens,
                  listings: await seedListings(app.url, tokens.seller[0]!, s.seed.listings, { title: 'Vintage brass lamp', priceCents: 1000, stock: 5 }),
                  fixedListings: await seedListings(app.url, tokens.seller[0]!, s.seed.fixedPriceListings ?? 1, { title: 'Desk chair', priceCents: 2500, stock: 100_000 }, 'fixed-price'),
                }
              : s.kind === 'write-contention'
                ? { tokens, listings: await seedListings(app.url, tokens.seller[0]!, (s.profiles[profile].uniformRows ?? s.uniformRows) + 1, s.listing) }
                : s.kind === 'notification-lag'
                  ? { tokens, listings: await seedListings(app.url, tokens.seller[0]!, 1, s.listing) }
                  : { tokens, listings: ['none'] };
          const plan = await buildPlan(definition, { profile, fixture, baseUrl: app.url, ...(variant.strategy ? { strategy: variant.strategy } : {}), ...(variant.mode ? { mode: variant.mode } : {}) });
          const tag = variant.strategy ?? variant.mode ?? 'run';
          const script = path.join(dir, `${id}-${tag}.k6.js`);
          await writeFile(script, await generateK6Script(plan, s.thresholds));
          const summary = path.join(dir, `${id}-${tag}-${evidenceTimestamp(new Date())}.k6-summary.json`);
          const res = spawnSync('k6', ['run', '-e', `ARCHFIT_SUMMARY=${summary}`, '-e', `K6_VERSION=${version}`, script], { stdio: 'inherit' });
          const code = res.status ?? 2;
          process.stdout.write(`${id} (${tag}): k6 exited ${code}${code === 99 ? ' (a per-step threshold failed; a capacity search expects its last step to)' : ''}\n`);
          if (code !== 0 && code !== 99) {
            worst = 2;
            continue;
          }
          runs.push(await importK6Summary({ summaryFile: summary, definition, root: REPO_ROOT, ...(variant.strategy ? { strategy: variant.strategy } : {}), ...(variant.mode ? { mode: variant.mode } : {}) }));
        } finally {
          await app?.stop();
          await db.drop().catch(() => {});
        }
      }
      if (!runs.length) continue;
      const evidence = mergeK6Evidence(runs, s.thresholds);
      const file = await writeEvidence(resultsDir, evidence);
      process.stdout.write(`${id}: evidence ${path.relative(process.cwd(), file)} (runner k6)\n`);
      if (evidence.thresholds.some((t) => t.verdict !== 'pass')) worst = Math.max(worst, 1);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await admin.stop();
  }
  return worst;
}
