import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStallServer } from '../test/fixtures/child-server.js';
import { runOpenModel } from './open-model.js';

/**
 * The generator's own CPU at a fixed rate, the spin-wait scheduler it replaced (read from git
 * at SPIN_COMMIT) beside the timer-driven one, in one run against the same never-stalling
 * server in a child process, with the load average next to each figure.
 *   npx tsx load/runner/bench-generator.ts [rate=1000] [seconds=5]
 */
const SPIN_COMMIT = 'c5bd690';
const here = path.dirname(fileURLToPath(import.meta.url));
const rate = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 5);

interface Runner {
  (o: { target: string; rate: number; durationS: number; next(): { name: string; method: 'GET'; path: string } }): Promise<{ latency: { p50: number; p99: number }; errors: { total: number }; achievedRate: number }>;
}

async function measure(name: string, run: Runner, target: string): Promise<string> {
  const load = os.loadavg()[0]!.toFixed(2);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await run({ target, rate, durationS: seconds, next: () => ({ name: 'GET /stall', method: 'GET', path: '/stall' }) });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const share = (cpu.user + cpu.system) / 1000 / wall;
  return `${name.padEnd(12)} cpu ${share.toFixed(3)} of a core   achieved ${r.achievedRate}/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   errors ${r.errors.total}   load average ${load}`;
}

const spinFile = path.join(here, `open-model-spin-${process.pid}.ts`);
await writeFile(spinFile, execFileSync('git', ['show', `${SPIN_COMMIT}:load/runner/open-model.ts`], { cwd: here, encoding: 'utf8' }));
const server = await startStallServer({ FREEZE_AT_MS: 'none' });
try {
  const spin = (await import(spinFile)) as { runOpenModel: Runner };
  const lines = [`generator CPU at ${rate} req/s for ${seconds} s (${os.cpus().length} cores; process CPU time over wall time)`];
  // Alternate so both see the same machine; the first pass warms the JIT and connections.
  await runOpenModel({ target: server.url, rate, durationS: 1, next: () => ({ name: 'w', method: 'GET', path: '/stall' }) });
  for (let i = 0; i < 2; i++) {
    lines.push(await measure('spin-wait', spin.runOpenModel, server.url));
    lines.push(await measure('timer', runOpenModel as unknown as Runner, server.url));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await server.stop();
  await rm(spinFile, { force: true });
}
