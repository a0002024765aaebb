import sharp from 'sharp';
import { MAX_IMAGE_PIXELS } from '../../../src/shared/services/models-contract.js';

/**
 * Image preparation before recognition. Which steps run is configuration, because the
 * benchmark (`npm run bench:ocr`) decides whether a step helps: it prints accuracy and latency
 * for each combination side by side on the same seeded receipts.
 */
export interface PreprocessOptions {
  /** Grayscale plus contrast stretch (sharp `normalise`): lifts faded, low-contrast prints. */
  grayscale: boolean;
  /** Global binarisation at the midpoint after the stretch. */
  threshold: boolean;
  /** Straightens a photo taken a few degrees off, by projection-profile search. */
  deskew: boolean;
}

export const NO_PREPROCESSING: PreprocessOptions = { grayscale: false, threshold: false, deskew: false };
/**
 * What the service and the in-process executors use unless told otherwise. On the 200-receipt
 * benchmark `grayscale` lowered the character error rate (0.29 -> 0.20 %) but read two more dates
 * wrong (98 -> 96 %), totals and merchants equal: no step earns its cost, so none runs by default.
 */
export const DEFAULT_PREPROCESS = 'none';

/** Wider images are scaled down: tesseract gains nothing from more than ~2000 px of receipt width. */
const MAX_WIDTH = 2000;
const DESKEW_RANGE_DEGREES = 5;
const DESKEW_STEP_DEGREES = 0.5;

export function describePreprocess(o: PreprocessOptions): string {
  const steps = [o.grayscale && 'grayscale', o.threshold && 'threshold', o.deskew && 'deskew'].filter(Boolean);
  return steps.length === 0 ? 'none' : steps.join('+');
}

/** Parses "grayscale,deskew" (or "none") as used by MODELS_OCR_PREPROCESS and the benchmark. */
export function parsePreprocess(text: string): PreprocessOptions {
  const steps = text.split(/[,+]/).map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
  const known = ['grayscale', 'threshold', 'deskew'];
  const unknown = steps.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new Error(`unknown preprocessing step(s) ${unknown.join(', ')}; use ${known.join(', ')} or none`);
  return { grayscale: steps.includes('grayscale'), threshold: steps.includes('threshold'), deskew: steps.includes('deskew') };
}

function decoder(image: Buffer) {
  // A decompression bomb fails in the decoder, before any pixel reaches the engine; failOn
  // 'error' refuses a truncated or corrupt file instead of half-decoding it.
  return sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
}

/** Row-sum variance of a binarised page: text lines aligned with the rows give sharp peaks. */
async function rowVariance(small: Buffer, width: number, height: number, angle: number): Promise<number> {
  const { data, info } = await sharp(small, { raw: { width, height, channels: 1 } })
    .rotate(angle, { background: { r: 255, g: 255, b: 255 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums: number[] = [];
  for (let y = 0; y < info.height; y += 1) {
    let dark = 0;
    for (let x = 0; x < info.width; x += 1) if (data[y * info.width + x]! < 128) dark += 1;
    sums.push(dark);
  }
  const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
  return sums.reduce((a, b) => a + (b - mean) ** 2, 0) / sums.length;
}

/** The angle (degrees) that straightens the text lines, searched on a 400 px wide copy. */
export async function skewAngle(image: Buffer): Promise<number> {
  const { data, info } = await decoder(image)
    .autoOrient()
    .resize({ width: 400, withoutEnlargement: true })
    .grayscale()
    .normalise()
    .threshold(128)
    .raw()
    .toBuffer({ resolveWithObject: true });
  let best = { angle: 0, score: -1 };
  for (let a = -DESKEW_RANGE_DEGREES; a <= DESKEW_RANGE_DEGREES; a += DESKEW_STEP_DEGREES) {
    const score = await rowVariance(data, info.width, info.height, a);
    if (score > best.score) best = { angle: a, score };
  }
  return best.angle;
}

/** Decodes (bounded), applies the chosen steps and hands tesseract a lossless PNG. */
export async function prepareImage(image: Buffer, options: PreprocessOptions): Promise<Buffer> {
  const angle = options.deskew ? await skewAngle(image) : 0;
  let pipeline = decoder(image).autoOrient().resize({ width: MAX_WIDTH, withoutEnlargement: true });
  if (angle !== 0) pipeline = pipeline.rotate(angle, { background: { r: 255, g: 255, b: 255 } });
  if (options.grayscale || options.threshold) pipeline = pipeline.grayscale().normalise();
  if (options.threshold) pipeline = pipeline.threshold(128);
  return pipeline.png({ compressionLevel: 1 }).toBuffer();
}
