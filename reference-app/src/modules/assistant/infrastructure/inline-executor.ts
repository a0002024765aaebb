import { runEmbed, runExtract } from '../domain/tasks.js';
import type { AssistantExecutor } from '../application/ports.js';

/**
 * Runs the kernel on the event loop. Simplest, and the one that hurts: while a task runs no
 * other request of this process makes progress (the compute-latency scenario measures it).
 */
export function createInlineExecutor(): AssistantExecutor {
  return {
    mode: 'inline',
    embed: async (body) => runEmbed(body),
    extract: async (body) => runExtract(body),
    close: async () => {},
  };
}
