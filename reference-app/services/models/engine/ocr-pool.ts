import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Tesseract from 'tesseract.js';

/** The engine and data every figure in docs/extracting-a-service.md was measured with. */
export const OCR_ENGINE = 'tesseract.js 7, eng 4.0.0_best_int (LSTM)';

const require = createRequire(import.meta.url);
/** The trained data ships inside the npm package: nothing is fetched at run time. */
const LANG_PATH = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
/** Per-process cache so concurrent processes never write the same file half-way. */
const CACHE_PATH = join(tmpdir(), `archfit-tesseract-${process.pid}`);

export interface OcrLine {
  text: string;
  /** 0..1, tesseract's mean word confidence for the line. */
  confidence: number;
}

export interface OcrResult {
  text: string;
  lines: OcrLine[];
  /** 0..1, the page's mean confidence. */
  confidence: number;
}

export interface OcrPoolOptions {
  /** tesseract.js workers (each one wasm instance in its own worker thread). */
  workers: number;
  /** Recognitions allowed to wait for a worker before new ones are refused (bounded memory). */
  maxQueue?: number;
}

/** Every worker is busy and `maxQueue` jobs wait: the caller sheds the request (503 + Retry-After). */
export class OcrBusyError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(detail: string) {
    super(detail);
    this.name = 'OcrBusyError';
  }
}

export interface OcrPool {
  readonly workers: number;
  /** True once every worker has loaded the trained data: readiness, not liveness. */
  readonly warm: boolean;
  /** Starts every worker; resolves when all are ready. Idempotent. */
  start(): Promise<void>;
  recognize(image: Buffer): Promise<OcrResult>;
  /** Jobs waiting for a worker right now. */
  queued(): number;
  close(): Promise<void>;
}

function linesOf(page: Tesseract.Page): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.text.replace(/\s+/g, ' ').trim();
        if (text !== '') lines.push({ text, confidence: line.confidence / 100 });
      }
    }
  }
  return lines;
}

/**
 * A fixed pool of tesseract.js workers behind one scheduler. Workers are created by `start()`
 * (the service calls it before it reports ready; the in-process executors on first use), so
 * the 0.6 s per-worker initialisation is never paid by a request that could have been warm.
 */
export function createOcrPool(options: OcrPoolOptions): OcrPool {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new Error(`OCR pool: workers must be a positive integer, got ${options.workers}`);
  }
  const maxQueue = options.maxQueue ?? 64;
  const scheduler = Tesseract.createScheduler();
  let starting: Promise<void> | undefined;
  let warm = false;
  let closed = false;

  const startWorker = async () => {
    const worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
      langPath: LANG_PATH,
      cachePath: CACHE_PATH,
      gzip: true,
    });
    // A receipt is one block of lines. "Single block" keeps a right-aligned amount on its item's
    // line; "single column" dropped symbol-less amount columns entirely on the benchmark set, and
    // automatic segmentation found the same text at ~4x the time.
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK, preserve_interword_spaces: '1' });
    if (closed) await worker.terminate();
    else scheduler.addWorker(worker);
  };

  return {
    workers: options.workers,
    get warm() {
      return warm;
    },
    start() {
      starting ??= Promise.all(Array.from({ length: options.workers }, startWorker)).then(() => {
        warm = !closed;
      });
      return starting;
    },
    async recognize(image) {
      if (closed) throw new Error('OCR pool is closed');
      await this.start();
      if (scheduler.getQueueLen() >= maxQueue) {
        throw new OcrBusyError(`all ${options.workers} OCR worker(s) are busy and ${maxQueue} scans already wait`);
      }
      const { data } = await scheduler.addJob('recognize', image, {}, { text: true, blocks: true });
      return { text: data.text, lines: linesOf(data), confidence: data.confidence / 100 };
    },
    queued: () => scheduler.getQueueLen(),
    async close() {
      closed = true;
      warm = false;
      await starting?.catch(() => {});
      await scheduler.terminate();
    },
  };
}
