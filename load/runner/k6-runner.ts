import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenario } from '../scenarios/load-scenario.js';
import type { ProfileName } from '../scenarios/schema.js';
import { REPO_ROOT, startApp } from './app-process.js';
import { createDatabase, resolveAdminServer } from './database.js';
import { evidenceTimestamp } from 'archfit';
import { seedIdentities, seedListings } from './fixture.js';

/**
 * `--runner k6`: seeds the app like the in-repo runner, then runs load/k6/<scenario>.ts, which
 * reads the same definition. k6 judges its own thresholds (exit 99 when one fails); its summary
 * lands next to the evidence as `<scenario>-k6-<timestamp>.summary.json`. It is not trigger
 * evidence: the app runs in its default strategy and mode only.
 */
export async function runK6(ids: string[], profile: ProfileName): Promise<number> {
  const admin = await resolveAdminServer();
  const dir = await mkdtemp(path.join(tmpdir(), 'archfit-k6-'));
  let worst = 0;
  try {
    for (const id of ids) {
      const { scenario } = await loadScenario(id);
      const db = await createDatabase(admin.url, `k6_${id}`);
      const app = await startApp({ env: { ...scenario.appEnv, DATABASE_URL: db.url } });
      try {
        const tokens = await seedIdentities(app.url, scenario.seed.consumers);
        const count = scenario.kind === 'write-contention' ? scenario.uniformRows + 1 : scenario.seed.listings;
        const listings = await seedListings(app.url, tokens.seller[0]!, count, { title: 'k6 listing', priceCents: 1000, stock: 5 });
        const fixture = path.join(dir, `${id}.json`);
        await writeFile(fixture, JSON.stringify({ baseUrl: app.url, tokens, listings }));
        const summary = path.join(REPO_ROOT, 'load/results', `${id}-k6-${evidenceTimestamp(new Date())}.summary.json`);
        const res = spawnSync('k6', ['run', '--summary-export', summary, '-e', `FIXTURE=${fixture}`, '-e', `PROFILE=${profile}`, path.join(REPO_ROOT, 'load/k6', `${id}.ts`)], { stdio: 'inherit' });
        const code = res.status ?? 2;
        process.stdout.write(`${id}: k6 exited ${code}${code === 99 ? ' (a threshold failed)' : ''}; summary ${path.relative(process.cwd(), summary)}\n`);
        worst = Math.max(worst, code === 0 ? 0 : code === 99 ? 1 : 2);
      } finally {
        await app.stop();
        await db.drop().catch(() => {});
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await admin.stop();
  }
  return worst;
}
