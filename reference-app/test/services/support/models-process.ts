import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../src/runtime/embedded-postgres.js';
import { createServiceCatalog, services, type ServiceCatalog, type Services } from '../../../src/shared/services/index.js';
import { waitFor } from './declarations.js';

const ENTRY = fileURLToPath(new URL('../../../services/models/main.ts', import.meta.url));

export interface ModelsProcess {
  url: string;
  token: string;
  /** Starts the real entry point (`npm run models`) and waits until it listens. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** The models service as its own OS process on a loopback port (restarted on the same port), as it runs in production. */
export async function modelsProcess(token = 'test-models-token'): Promise<ModelsProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
        env: { ...process.env, MS_MODELS_TOKEN: token, MODELS_HOST: '127.0.0.1', MODELS_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        // Generous: on a busy 2-core box tsx start-up alone has taken over 20 s.
        const timer = setTimeout(() => reject(new Error(`models service did not start in 60 s:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('models service listening')) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout!.on('data', onData);
        proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`models service exited with ${code}:\n${output}`));
        });
      });
      // Keep draining output so a full pipe never blocks the service.
      proc.stdout!.resume();
      proc.removeAllListeners('exit');
    },
    async stop() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    },
  };
}

/**
 * A running models service plus a catalog that requires it, as service mode configures them;
 * resolves once the probe loop sees the service up, i.e. its OCR workers are warm.
 */
export async function modelsWithCatalog(): Promise<{ models: ModelsProcess; catalog: ServiceCatalog<Services>; stop(): Promise<void> }> {
  const models = await modelsProcess();
  await models.start();
  const catalog = createServiceCatalog(services, {
    env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: models.token },
    required: ['models'],
  });
  catalog.start();
  await waitFor('models service up (warm)', () => catalog.healthState('models'), (s) => s === 'up', 60_000);
  return {
    models,
    catalog,
    async stop() {
      await catalog.stop();
      await models.stop();
    },
  };
}
