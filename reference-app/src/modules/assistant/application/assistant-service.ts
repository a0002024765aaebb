import type { EmbedResponse, ScanReceiptResponse } from '../../../shared/services/index.js';
import { traced } from '../../../shared/tracing.js';
import type { AssistantExecutor } from './ports.js';

export interface AssistantService {
  /** Embeddings for listing search, one vector per text. */
  embed(texts: string[], dimensions?: number): Promise<EmbedResponse>;
  /** Fields read from a receipt image that passed the image guard, each with a confidence. */
  scanReceipt(image: Buffer): Promise<ScanReceiptResponse>;
}

/**
 * The assistant's use cases. The embedding's compute cost is configuration
 * (ASSISTANT_COMPUTE_COST), not caller input: the load scenarios turn it to make the synthetic
 * task as heavy as a real model's, and a caller must not be able to ask for minutes of CPU.
 */
export function createAssistantService(executor: AssistantExecutor, cost: number): AssistantService {
  return {
    embed: traced('assistant', 'Embed', (texts: string[], dimensions?: number) =>
      executor.embed(dimensions === undefined ? { texts, cost } : { texts, dimensions, cost }),
    ),
    scanReceipt: traced('assistant', 'ScanReceipt', (image: Buffer) => executor.scanReceipt(image)),
  };
}
