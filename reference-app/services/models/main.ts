import closeWithGrace from 'close-with-grace';
import { buildModelsService } from './app.js';
import { DEFAULT_PREPROCESS, parsePreprocess } from './engine/index.js';

/**
 * Process entry of the models service (`npm run models`). Env: MS_MODELS_TOKEN (required,
 * the same token the monolith sends), MODELS_HOST (default 127.0.0.1), MODELS_PORT (default
 * 4100), MODELS_OCR_WORKERS (tesseract.js workers, default 1), MODELS_OCR_PREPROCESS (steps
 * before OCR, default DEFAULT_PREPROCESS in engine/preprocess.ts; see docs/extracting-a-service.md for the figures behind it),
 * MS_MODELS_AI_TOKEN (optional AI gateway credential). The monolith finds it through
 * MODELS_SERVICE_URL, e.g. http://127.0.0.1:4100.
 */
function fail(message: string): never {
  process.stderr.write(`models service: ${message}\n`);
  process.exit(2);
}

const token = process.env.MS_MODELS_TOKEN ?? '';
if (token === '') fail('MS_MODELS_TOKEN is not set; refusing to start without a token');
const host = process.env.MODELS_HOST ?? '127.0.0.1';
const port = Number(process.env.MODELS_PORT ?? 4100);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`MODELS_PORT="${process.env.MODELS_PORT}" is not a port number`);
const ocrWorkers = Number(process.env.MODELS_OCR_WORKERS || 1);
if (!Number.isInteger(ocrWorkers) || ocrWorkers < 1 || ocrWorkers > 16) {
  fail(`MODELS_OCR_WORKERS="${process.env.MODELS_OCR_WORKERS}" must be an integer from 1 to 16`);
}
let preprocess;
try {
  preprocess = parsePreprocess(process.env.MODELS_OCR_PREPROCESS || DEFAULT_PREPROCESS);
} catch (error) {
  fail(`MODELS_OCR_PREPROCESS: ${(error as Error).message}`);
}

const app = buildModelsService({
  token,
  echoLogs: true,
  ocrWorkers,
  preprocess,
  aiGatewayConfigured: (process.env.MS_MODELS_AI_TOKEN ?? '') !== '',
});
closeWithGrace({ delay: 5_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  await app.close();
});
const address = await app.listen({ host, port });
app.log.info({ address }, 'models service listening');
