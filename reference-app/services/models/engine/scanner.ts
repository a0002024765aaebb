import type { ScanReceiptResponse } from '../../../src/shared/services/models-contract.js';
import { createOcrPool, OCR_ENGINE, type OcrPool } from './ocr-pool.js';
import { describePreprocess, prepareImage, type PreprocessOptions } from './preprocess.js';
import { parseReceipt } from './receipt-fields.js';

export interface ReceiptScannerOptions {
  workers: number;
  preprocess: PreprocessOptions;
  maxQueue?: number;
}

/** The image could not be decoded (corrupt, truncated, or over the pixel bound): the caller's fault, 422. */
export class UnreadableImageError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'UnreadableImageError';
  }
}

export interface ReceiptScanner {
  readonly pool: OcrPool;
  readonly preprocess: PreprocessOptions;
  /** Warms every OCR worker. */
  start(): Promise<void>;
  scan(image: Buffer, preprocess?: PreprocessOptions): Promise<ScanReceiptResponse>;
  close(): Promise<void>;
}

/** Category embeddings need separation, not detail: a small space and one round. */
const CATEGORY_EMBEDDING = { dimensions: 64, cost: 1 };

/** Image in, receipt fields out: preprocessing, recognition on the worker pool, then the field rules. */
export function createReceiptScanner(options: ReceiptScannerOptions): ReceiptScanner {
  const pool = createOcrPool({ workers: options.workers, ...(options.maxQueue ? { maxQueue: options.maxQueue } : {}) });
  return {
    pool,
    preprocess: options.preprocess,
    start: () => pool.start(),
    async scan(image, preprocess = options.preprocess) {
      const t0 = performance.now();
      let prepared: Buffer;
      try {
        prepared = await prepareImage(image, preprocess);
      } catch (error) {
        throw new UnreadableImageError(error instanceof Error ? error.message : String(error));
      }
      const t1 = performance.now();
      const ocr = await pool.recognize(prepared);
      const t2 = performance.now();
      const fields = parseReceipt(ocr.lines, CATEGORY_EMBEDDING);
      const t3 = performance.now();
      const ms = (n: number) => Math.round(n * 10) / 10;
      return {
        engine: OCR_ENGINE,
        preprocess: describePreprocess(preprocess),
        ...fields,
        text: ocr.lines.map((l) => l.text).join('\n'),
        timings: { preprocessMs: ms(t1 - t0), recognizeMs: ms(t2 - t1), parseMs: ms(t3 - t2) },
      };
    },
    close: () => pool.close(),
  };
}
