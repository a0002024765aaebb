import sharp from 'sharp';
import { MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS } from '../../../shared/services/index.js';

/** Why an upload is refused before it reaches any engine, as an HTTP status and a problem kind. */
export class ImageRejectedError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    readonly kind: 'image-missing' | 'image-too-large' | 'image-too-many-pixels' | 'image-not-supported' | 'image-unreadable',
    detail: string,
  ) {
    super(detail);
    this.name = 'ImageRejectedError';
  }
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** The first bytes of each accepted format: the client's Content-Type is a claim, these are evidence. */
function sniff(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

function describeStart(bytes: Buffer): string {
  const text = bytes.toString('latin1', 0, 8).replace(/[^\x20-\x7e]/g, '.');
  return `${bytes.subarray(0, 8).toString('hex')} ("${text}")`;
}

/**
 * Checks an upload without decoding it: byte size, format by content sniffing, then the
 * header's declared dimensions (sharp reads only the header for this). A decompression bomb,
 * a few KB declaring hundreds of megapixels, is refused here, before any pixel is decoded.
 */
export async function inspectImage(bytes: Buffer): Promise<{ format: ImageFormat; width: number; height: number }> {
  if (bytes.length === 0) throw new ImageRejectedError(400, 'image-missing', 'the image is empty');
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new ImageRejectedError(413, 'image-too-large', `the image is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} are accepted`);
  }
  const format = sniff(bytes);
  if (!format) {
    throw new ImageRejectedError(415, 'image-not-supported', `the upload is not a PNG, JPEG or WebP image (it starts with ${describeStart(bytes)})`);
  }
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata()); // header only: the bound is checked below
  } catch (error) {
    throw new ImageRejectedError(422, 'image-unreadable', `the ${format} header cannot be read: ${(error as Error).message}`);
  }
  if (!width || !height) throw new ImageRejectedError(422, 'image-unreadable', `the ${format} header declares no dimensions`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageRejectedError(
      413,
      'image-too-many-pixels',
      `the image declares ${width}x${height} = ${((width * height) / 1e6).toFixed(1)} megapixels; at most ${MAX_IMAGE_PIXELS / 1e6} are decoded`,
    );
  }
  return { format, width, height };
}
