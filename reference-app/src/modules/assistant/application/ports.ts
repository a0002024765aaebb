import type { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from '../../../shared/services/index.js';

/** Where the assistant's compute runs. Chosen once at start-up by ASSISTANT_EXECUTION. */
export type ExecutionMode = 'inline' | 'pool' | 'service';

/**
 * Runs the assistant's AI tasks. Three adapters implement it (infrastructure/): on the event
 * loop, in a piscina worker pool, or in the models service over HTTP. They share one kernel, so
 * callers cannot tell them apart except by latency and by what else slows down meanwhile.
 */
export interface AssistantExecutor {
  readonly mode: ExecutionMode;
  embed(body: EmbedBody): Promise<EmbedResponse>;
  extract(body: ExtractBody): Promise<ExtractResponse>;
  close(): Promise<void>;
}

/** The in-process pool's queue is full: shed the task (503 + Retry-After) rather than queue without end. */
export class ComputeBusyError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(detail: string) {
    super(detail);
    this.name = 'ComputeBusyError';
  }
}
