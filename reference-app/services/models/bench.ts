/**
 * Side-by-side cost of one assistant task in each execution mode (`npx tsx
 * reference-app/services/models/bench.ts [calls]`): inline, worker pool, and the models service
 * over loopback HTTP, at a few compute costs. Sequential calls, so each figure is the latency
 * of one task with nothing else running; what co-located compute does to *other* routes is the
 * load workspace's compute-latency scenario. Starts its own models service on a free port.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInlineExecutor } from '../../src/modules/assistant/infrastructure/inline-executor.js';
import { createPoolExecutor } from '../../src/modules/assistant/infrastructure/pool-executor.js';
import { createServiceExecutor } from '../../src/modules/assistant/infrastructure/service-executor.js';
import { freePort } from '../../src/runtime/embedded-postgres.js';
import { createServiceCatalog, services } from '../../src/shared/services/index.js';

const calls = Number(process.argv[2] ?? 200);
const costs = [1, 10, 50, 150];
const TEXT = 'Vintage steel road bike, 54 cm frame, Shimano 105 groupset, new tyres and bar tape';

const port = await freePort();
const token = 'bench-token';
const service = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))], {
  env: { ...process.env, MS_MODELS_TOKEN: token, MODELS_PORT: String(port) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => {
  service.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('models service listening')) resolve();
  });
});

const catalog = createServiceCatalog(services, {
  env: { MODELS_SERVICE_URL: `http://127.0.0.1:${port}`, MS_MODELS_TOKEN: token },
  required: ['models'],
});
catalog.start();
const executors = [createInlineExecutor(), createPoolExecutor({ threads: 1 }), createServiceExecutor(catalog)];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rows: string[] = [];
for (const cost of costs) {
  const cells: string[] = [];
  for (const executor of executors) {
    for (let i = 0; i < 20; i += 1) await executor.embed({ texts: [TEXT], cost }); // warm-up: JIT, threads, sockets
    const samples: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const started = performance.now();
      await executor.embed({ texts: [TEXT], cost });
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    cells.push(`${percentile(samples, 50).toFixed(2)} / ${percentile(samples, 99).toFixed(2)}`);
  }
  rows.push(`| ${cost} | ${cells.join(' | ')} |`);
}

process.stdout.write(
  `embed, one ${TEXT.length}-character text, 128 dimensions, ${calls} sequential calls per cell, p50 / p99 ms, Node ${process.version}\n\n` +
    `| cost | inline | pool (1 thread) | service (loopback HTTP) |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`,
);

for (const e of executors) await e.close();
await catalog.stop();
service.kill('SIGTERM');
