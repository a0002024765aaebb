import { Piscina } from 'piscina';
import type { EmbedBody, EmbedResponse } from '../../../shared/services/index.js';
import { ComputeBusyError, type AssistantExecutor } from '../application/ports.js';
import { inProcessScanner } from './in-process-scanner.js';

export interface PoolExecutorOptions {
  /** Worker threads (embedding) and tesseract.js workers (OCR); on a 2-core host more than 1 competes with the event loop. */
  threads: number;
  /** Tasks allowed to wait for a thread before piscina refuses new ones (bounded memory under overload). */
  maxQueue?: number;
}

const WORKER = new URL('./kernel-worker.mjs', import.meta.url).href;

/**
 * Runs the compute on worker threads inside the app: embeddings in a piscina pool, scans
 * (decode, preprocessing, recognition, field rules) on a pool of `threads` tesseract.js
 * workers. The event loop stays free, but the work still shares this host's cores. Both pools
 * start on their first task, so an app that never calls the assistant starts no threads.
 */
export function createPoolExecutor(options: PoolExecutorOptions): AssistantExecutor {
  let pool: Piscina | undefined;
  const scanner = inProcessScanner(options.threads);
  const run = (body: EmbedBody): Promise<unknown> => {
    pool ??= new Piscina({
      filename: WORKER,
      minThreads: options.threads,
      maxThreads: options.threads,
      maxQueue: options.maxQueue ?? 1_000,
      // The worker entry loads its own TypeScript loader, so it needs none of the flags the app
      // was started with (tsx, vitest's, a load probe's --import): start workers clean.
      execArgv: [],
    });
    return pool.run(body).catch((error: unknown) => {
      // piscina refuses a task when maxQueue tasks already wait for a thread.
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        throw new ComputeBusyError(`all ${options.threads} assistant worker thread(s) are busy and the queue is full`);
      }
      throw error;
    });
  };
  return {
    mode: 'pool',
    embed: async (body) => (await run(body)) as EmbedResponse,
    scanReceipt: (image) => scanner.scan(image),
    async close() {
      await Promise.all([pool?.destroy(), scanner.close()]);
      pool = undefined;
    },
  };
}
