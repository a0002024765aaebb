import type { EmbedBody, EmbedResponse } from '../../../src/shared/services/models-contract.js';
import { EMBEDDING_MODEL, embedText } from './embedding.js';

export const DEFAULT_DIMENSIONS = 128;

/**
 * The synthetic embedding task: plain data in, plain data out, so it runs the same on the
 * event loop, in a worker thread or in the models service. It stays as the compute-latency
 * scenario's option for machines without the OCR data.
 */
export function runEmbed(body: EmbedBody): EmbedResponse {
  const dimensions = body.dimensions ?? DEFAULT_DIMENSIONS;
  const cost = body.cost ?? 1;
  return {
    model: EMBEDDING_MODEL,
    dimensions,
    cost,
    vectors: body.texts.map((t) => embedText(t, { dimensions, cost })),
  };
}
