import { Piscina } from 'piscina';
import type { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from '../../../shared/services/index.js';
import type { AssistantTask } from '../domain/tasks.js';
import { ComputeBusyError, type AssistantExecutor } from '../application/ports.js';

export interface PoolExecutorOptions {
  /** Worker threads; on a 2-core host more than 1 starts competing with the event loop for cores. */
  threads: number;
  /** Tasks allowed to wait for a thread before piscina refuses new ones (bounded memory under overload). */
  maxQueue?: number;
}

const WORKER = new URL('./kernel-worker.mjs', import.meta.url).href;

/**
 * Runs the kernel in a piscina worker-thread pool inside the app: the event loop stays free,
 * but the work still shares this host's cores. The pool is created on the first task, so an
 * app that never calls the assistant starts no threads.
 */
export function createPoolExecutor(options: PoolExecutorOptions): AssistantExecutor {
  let pool: Piscina | undefined;
  const run = (task: AssistantTask): Promise<unknown> => {
    pool ??= new Piscina({
      filename: WORKER,
      minThreads: options.threads,
      maxThreads: options.threads,
      maxQueue: options.maxQueue ?? 1_000,
      // The worker entry loads its own TypeScript loader, so it needs none of the flags the app
      // was started with (tsx, vitest's, a load probe's --import): start workers clean.
      execArgv: [],
    });
    return pool.run(task).catch((error: unknown) => {
      // piscina refuses a task when maxQueue tasks already wait for a thread.
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        throw new ComputeBusyError(`all ${options.threads} assistant worker thread(s) are busy and the queue is full`);
      }
      throw error;
    });
  };
  return {
    mode: 'pool',
    embed: async (body: EmbedBody) => (await run({ kind: 'embed', body })) as EmbedResponse,
    extract: async (body: ExtractBody) => (await run({ kind: 'extract', body })) as ExtractResponse,
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
