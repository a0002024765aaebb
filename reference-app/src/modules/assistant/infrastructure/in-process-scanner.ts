import {
  createReceiptScanner,
  DEFAULT_PREPROCESS,
  OcrBusyError,
  parsePreprocess,
  UnreadableImageError,
  type ReceiptScanner,
} from '../../../../services/models/engine/index.js';
import type { ScanReceiptResponse } from '../../../shared/services/index.js';
import { ComputeBusyError, ReceiptImageUnreadableError } from '../application/ports.js';

/**
 * The models engine loaded into the app's own process, for the inline and pool modes (the
 * compute-latency scenario compares them with the service). The workers start on the first
 * scan, so an app that never scans starts no OCR threads; the first scan pays the warm-up.
 */
export function inProcessScanner(workers: number): { scan(image: Buffer): Promise<ScanReceiptResponse>; close(): Promise<void> } {
  let scanner: ReceiptScanner | undefined;
  return {
    async scan(image) {
      scanner ??= createReceiptScanner({ workers, preprocess: parsePreprocess(DEFAULT_PREPROCESS) });
      try {
        return await scanner.scan(image);
      } catch (error) {
        if (error instanceof OcrBusyError) throw new ComputeBusyError(error.message);
        if (error instanceof UnreadableImageError) throw new ReceiptImageUnreadableError(error.message);
        throw error;
      }
    },
    async close() {
      await scanner?.close();
      scanner = undefined;
    },
  };
}
