import type { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from '../../../shared/services/index.js';
import { EMBEDDING_MODEL } from '../domain/embedding.js';
import { runEmbed, runExtract } from '../domain/tasks.js';

/** The assistant's compute as a published service interface, for the models service. */
export interface AssistantKernel {
  readonly model: string;
  embed(body: EmbedBody): EmbedResponse;
  extract(body: ExtractBody): ExtractResponse;
}

/**
 * In a real extraction this would be a package both sides depend on; here the models service
 * and the in-process executors run the same functions, which is what makes "identical results
 * in every execution mode" checkable.
 */
export const assistantKernel: AssistantKernel = {
  model: EMBEDDING_MODEL,
  embed: (body) => runEmbed(body),
  extract: (body) => runExtract(body),
};
