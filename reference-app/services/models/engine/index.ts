/**
 * The models engine: OCR, receipt field rules and the embedding kernel, with no import from the
 * monolith's modules (only the wire contract in src/shared/services). The models service wraps
 * it in HTTP; the assistant's inline and pool executors load it in-process to measure what
 * co-location costs. In a multi-repo setup this folder is the package both sides depend on
 * (ADR-0011).
 */
export { createReceiptScanner, UnreadableImageError, type ReceiptScanner, type ReceiptScannerOptions } from './scanner.js';
export { OcrBusyError, OCR_ENGINE } from './ocr-pool.js';
export { parsePreprocess, describePreprocess, NO_PREPROCESSING, DEFAULT_PREPROCESS, type PreprocessOptions } from './preprocess.js';
export { parseReceipt, type ReceiptFields } from './receipt-fields.js';
export { runEmbed, DEFAULT_DIMENSIONS } from './kernel.js';
export { EMBEDDING_MODEL } from './embedding.js';
