import type { EmbedResponse, ExtractResponse } from '../../../shared/services/index.js';
import { traced } from '../../../shared/tracing.js';
import type { AssistantExecutor } from './ports.js';

export interface AssistantService {
  /** Embeddings for listing search, one vector per text. */
  embed(texts: string[], dimensions?: number): Promise<EmbedResponse>;
  /** Fields read from a receipt's text (what an OCR step would hand over). */
  scanReceipt(text: string): Promise<ExtractResponse>;
}

/**
 * The assistant's use cases. The compute cost is configuration (ASSISTANT_COMPUTE_COST), not
 * caller input: the load scenarios turn it to make the work as heavy as a real model's, and a
 * caller must not be able to ask for minutes of CPU.
 */
export function createAssistantService(executor: AssistantExecutor, cost: number): AssistantService {
  return {
    embed: traced('assistant', 'Embed', (texts: string[], dimensions?: number) =>
      executor.embed(dimensions === undefined ? { texts, cost } : { texts, dimensions, cost }),
    ),
    scanReceipt: traced('assistant', 'ScanReceipt', (text: string) => executor.extract({ text, cost })),
  };
}
