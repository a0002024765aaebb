import { runEmbed } from '../../../../services/models/engine/index.js';
import type { AssistantExecutor } from '../application/ports.js';
import { inProcessScanner } from './in-process-scanner.js';

/**
 * Runs the compute in the app's process, on the event loop where it can: the embedding kernel
 * and a scan's decoding, preprocessing and field rules. Recognition itself runs in the one
 * tesseract.js worker thread (tesseract.js has no main-thread mode in Node), which competes with
 * the event loop for this host's cores. The compute-latency scenario measures what that costs.
 */
export function createInlineExecutor(): AssistantExecutor {
  const scanner = inProcessScanner(1);
  return {
    mode: 'inline',
    embed: async (body) => runEmbed(body),
    scanReceipt: (image) => scanner.scan(image),
    close: () => scanner.close(),
  };
}
