import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineExecutor } from '../../src/modules/assistant/infrastructure/inline-executor.js';
import { createPoolExecutor } from '../../src/modules/assistant/infrastructure/pool-executor.js';
import { createServiceExecutor } from '../../src/modules/assistant/infrastructure/service-executor.js';
import { ComputeBusyError, type AssistantExecutor } from '../../src/modules/assistant/application/ports.js';
import { generateReceipt } from '../../bench/ocr-receipts.js';
import { modelsWithCatalog } from '../services/support/models-process.js';

const EMBED = { texts: ['Vintage steel road bike, 54 cm frame', 'Oak dining table for six'], dimensions: 64, cost: 5 };

describe('the same task in three execution modes', () => {
  let running: Awaited<ReturnType<typeof modelsWithCatalog>>;
  let executors: AssistantExecutor[];

  beforeAll(async () => {
    running = await modelsWithCatalog();
    executors = [createInlineExecutor(), createPoolExecutor({ threads: 1 }), createServiceExecutor(running.catalog)];
  });
  afterAll(async () => {
    for (const e of executors ?? []) await e.close();
    await running?.stop();
  });

  it('inline, worker pool and models service return identical embeddings', async () => {
    const [inline, pool, service] = await Promise.all(executors.map((e) => e.embed(EMBED)));
    expect(inline!.vectors).toHaveLength(2);
    expect(pool).toEqual(inline);
    expect(service).toEqual(inline);
  });

  it('inline, worker pool and models service read the same fields from the same receipt image', async () => {
    // One rendered receipt without noise; one scan per mode, in turn (three OCR engines at once
    // on a busy 2-core box would only measure the box).
    const receipt = await generateReceipt(7, 1, { noise: false });
    const results = [];
    for (const executor of executors) results.push(await executor.scanReceipt(receipt.image));
    const fields = results.map(({ timings: _timings, ...rest }) => rest);
    expect(fields[0]!.total.value).toBe(receipt.truth.totalCents);
    expect(fields[0]!.merchant.value).toBe(receipt.truth.merchant);
    expect(fields[1]).toEqual(fields[0]);
    expect(fields[2]).toEqual(fields[0]);
  }, 120_000);

  it('the pool runs the task off the test thread (the worker loaded the TypeScript kernel)', async () => {
    const pool = executors[1]!;
    expect(pool.mode).toBe('pool');
    await expect(pool.embed({ texts: ['x'], dimensions: 8 })).resolves.toHaveProperty('dimensions', 8);
  });
});

describe('the worker pool outside vitest', () => {
  it('loads its TypeScript kernel when the app runs under tsx (npm start)', async () => {
    const script = fileURLToPath(new URL('./support/pool-smoke.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ mode: 'pool', dimensions: 8, identical: true });
  });
});

describe('the worker pool under overload', () => {
  it('sheds tasks beyond its queue bound with ComputeBusyError instead of queueing without end', async () => {
    const pool = createPoolExecutor({ threads: 1, maxQueue: 1 });
    try {
      const body = { texts: ['a long enough text to keep the single worker busy for a while'], cost: 200 };
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => pool.embed(body)));
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ComputeBusyError);
    } finally {
      await pool.close();
    }
  });
});
