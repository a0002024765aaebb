import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceCatalog, ServiceUnavailableError, type ServiceCatalog } from '../../src/shared/services/index.js';
import { fastModels, waitFor } from './support/declarations.js';
import { modelsProcess, type ModelsProcess } from './support/models-process.js';

describe('health probe loop against the models service process, stopped and started', () => {
  let models: ModelsProcess;
  let catalog: ServiceCatalog<typeof fastModels>;

  beforeAll(async () => {
    models = await modelsProcess();
    await models.start();
    catalog = createServiceCatalog(fastModels, {
      env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: models.token },
      required: ['models'],
      historySize: 20,
    });
    catalog.start();
  });
  afterAll(async () => {
    await catalog?.stop();
    await models?.stop();
  });

  it('goes up, then degraded and down when the process stops, then up again when it restarts', async () => {
    // Up means warm: the service answers /health 200 only once its OCR worker has loaded.
    await waitFor('up', () => catalog.healthState('models'), (s) => s === 'up', 60_000);
    expect(() => catalog.assertAvailable('models')).not.toThrow();

    await models.stop();
    const stoppedAt = Date.now();
    await waitFor('degraded', () => catalog.healthState('models'), (s) => s === 'degraded' || s === 'down');
    await waitFor('down', () => catalog.healthState('models'), (s) => s === 'down');
    // Declared: down after 0.6 s without a successful probe, probing every 0.1 s.
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);

    const gate = (() => {
      try {
        catalog.assertAvailable('models');
      } catch (e) {
        return e;
      }
    })();
    expect(gate).toBeInstanceOf(ServiceUnavailableError);
    expect((gate as ServiceUnavailableError).reason).toBe('down');
    expect((gate as ServiceUnavailableError).retryAfterSeconds).toBe(1);

    await models.start();
    await waitFor('up again', () => catalog.healthState('models'), (s) => s === 'up', 60_000);

    const [overview] = await catalog.overview({ logs: true, logLimit: 5 });
    const transitions = overview!.health!.transitions.map((t) => t.to);
    expect(transitions.slice(-3)).toEqual(['degraded', 'down', 'up']);
    const history = overview!.health!.history;
    expect(history.length).toBeLessThanOrEqual(20);
    expect(history.some((p) => !p.ok)).toBe(true);
    expect(history.at(-1)!.ok).toBe(true);
    expect(overview!.logs).toHaveProperty('lines.records');
  }, 180_000);
});
