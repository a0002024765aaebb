import closeWithGrace from 'close-with-grace';
import { buildModelsService } from './app.js';

/**
 * Process entry of the models service (`npm run models`). Env: MS_MODELS_TOKEN (required,
 * the same token the monolith sends), MODELS_HOST (default 127.0.0.1), MODELS_PORT (default
 * 4100). The monolith finds it through MODELS_SERVICE_URL, e.g. http://127.0.0.1:4100.
 */
const token = process.env.MS_MODELS_TOKEN ?? '';
if (token === '') {
  process.stderr.write('models service: MS_MODELS_TOKEN is not set; refusing to start without a token\n');
  process.exit(2);
}
const host = process.env.MODELS_HOST ?? '127.0.0.1';
const port = Number(process.env.MODELS_PORT ?? 4100);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`models service: MODELS_PORT="${process.env.MODELS_PORT}" is not a port number\n`);
  process.exit(2);
}

const app = buildModelsService({ token, echoLogs: true });
closeWithGrace({ delay: 5_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  await app.close();
});
const address = await app.listen({ host, port });
app.log.info({ address }, 'models service listening');
