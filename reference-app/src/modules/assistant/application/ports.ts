import type { EmbedBody, EmbedResponse, ScanReceiptResponse } from '../../../shared/services/index.js';

/** Where the assistant's compute runs. Chosen once at start-up by ASSISTANT_EXECUTION. */
export type ExecutionMode = 'inline' | 'pool' | 'service';

/**
 * Runs the assistant's AI tasks. Three adapters implement it (infrastructure/): in this process
 * on the event loop, in this process on worker threads, or in the models service over HTTP. All
 * three run the models engine (services/models/engine), so callers cannot tell them apart
 * except by latency and by what else slows down meanwhile.
 */
export interface AssistantExecutor {
  readonly mode: ExecutionMode;
  embed(body: EmbedBody): Promise<EmbedResponse>;
  /** OCR and field extraction of an image that already passed the route's image guard. */
  scanReceipt(image: Buffer): Promise<ScanReceiptResponse>;
  close(): Promise<void>;
}

/** The in-process compute is saturated: shed the task (503 + Retry-After) rather than queue without end. */
export class ComputeBusyError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(detail: string) {
    super(detail);
    this.name = 'ComputeBusyError';
  }
}

/** The image decoded badly in the engine (the guard reads headers only): the caller's file, 422. */
export class ReceiptImageUnreadableError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'ReceiptImageUnreadableError';
  }
}
