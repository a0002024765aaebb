import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../../../shared/http/problem-details.js';
import { MAX_IMAGE_BYTES } from '../../../shared/services/index.js';
import { ImageRejectedError } from '../infrastructure/image-guard.js';

/** A JSON body carrying the image as base64 (a `data:image/...;base64,` prefix is allowed). */
export const ImageJson = Type.Object(
  { image: Type.String({ minLength: 1, description: 'the receipt image (PNG, JPEG or WebP) as base64' }) },
  { additionalProperties: false },
);

/** JSON bodies: base64 of the largest image plus room for a data-URL prefix and the braces. */
export const IMAGE_BODY_LIMIT = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4096;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Registers multipart parsing in the calling plugin's scope only (the rest of the API keeps
 * its 64 KiB JSON limit) with one file field of at most MAX_IMAGE_BYTES.
 */
export async function acceptImageUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 4, parts: 5 } });
}

/**
 * preValidation hook: a multipart upload (field `image`) is read into memory, bounded by the
 * file size limit, and handed on as the same `{ image: base64 }` body the JSON form uses, so
 * both forms meet one schema and one guard. Re-encoding is cheap beside OCR, and the models
 * service takes base64 anyway.
 */
export async function multipartToImageBody(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (!request.isMultipart()) return;
  let bytes: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'image' && bytes === undefined) bytes = await part.toBuffer();
      else if (part.type === 'file') await part.toBuffer();
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      return sendProblem(reply, problem(413, 'image-too-large', `the image is larger than ${MAX_IMAGE_BYTES} bytes`));
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      return sendProblem(reply, problem(400, 'validation', 'send one file field named "image"', [{ field: 'body:/image', message: 'exactly one file' }]));
    }
    throw error;
  }
  if (!bytes) {
    return sendProblem(reply, problem(400, 'validation', 'the multipart body has no file field named "image"', [{ field: 'body:/image', message: 'is required' }]));
  }
  request.body = { image: bytes.toString('base64') };
}

/** The image bytes of a validated body; throws ImageRejectedError for text that is not base64. */
export function imageBytes(body: { image: string }): Buffer {
  const text = body.image.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw new ImageRejectedError(400, 'image-missing', 'the image field is not base64 (send the file as base64, or use multipart/form-data)');
  }
  return Buffer.from(text, 'base64');
}

/** ImageRejectedError as the caller's 4xx problem+json. */
export function replyToRejectedImage(reply: FastifyReply, error: unknown): FastifyReply | undefined {
  if (!(error instanceof ImageRejectedError)) return undefined;
  return sendProblem(reply, problem(error.status, error.kind, error.message, [{ field: 'body:/image', message: error.message }]));
}
