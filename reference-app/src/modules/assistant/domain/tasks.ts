import type { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from '../../../shared/services/index.js';
import { EMBEDDING_MODEL, embedText } from './embedding.js';
import { extractReceipt } from './receipt.js';

/**
 * The assistant's AI tasks as plain data in, plain data out. This is the unit that runs
 * inline, in a worker thread or in the models service: a task must be structured-cloneable
 * and its result JSON-safe, and the same task must give the same result everywhere.
 */
export type AssistantTask = { kind: 'embed'; body: EmbedBody } | { kind: 'extract'; body: ExtractBody };

export interface AssistantTaskResult {
  embed: EmbedResponse;
  extract: ExtractResponse;
}

export const DEFAULT_DIMENSIONS = 128;
/** Categories are compared in a smaller space: they need separation, not detail. */
const CATEGORY_DIMENSIONS = 64;

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

export function runExtract(body: ExtractBody): ExtractResponse {
  const fields = extractReceipt(body.text, { dimensions: CATEGORY_DIMENSIONS, cost: body.cost ?? 1 });
  return { model: EMBEDDING_MODEL, ...fields };
}

export function runAssistantTask(task: AssistantTask): EmbedResponse | ExtractResponse {
  return task.kind === 'embed' ? runEmbed(task.body) : runExtract(task.body);
}
