/**
 * The assistant's compute kernel, published for the models service. In a real extraction
 * this would be a package both sides depend on; here both import the same file, which is what
 * makes "identical results in every execution mode" checkable.
 */
export { runEmbed, runExtract, runAssistantTask, type AssistantTask } from '../domain/tasks.js';
export { EMBEDDING_MODEL, cosine } from '../domain/embedding.js';
