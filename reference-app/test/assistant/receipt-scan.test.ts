import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { generateReceipt, type GeneratedReceipt } from '../../bench/ocr-receipts.js';
import { build, type App } from '../../src/app.js';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { MAX_IMAGE_BYTES } from '../../src/shared/services/index.js';
import { waitFor } from '../services/support/declarations.js';
import { modelsProcess, type ModelsProcess } from '../services/support/models-process.js';
import { multipartBody, pngBomb } from './support/images.js';
import { userToken } from './support/users.js';

const SECRET = 'receipt-scan-test-secret-at-least-32-characters';
const tokens = createTokenService({ secret: SECRET });
let consumer = '';
let seller = '';
let sellerId = '';
let admin = '';
// Slower than other tests' cadences on purpose: a scan occupies this busy 2-core box for
// seconds, and a 100 ms probe timeout would call the service down while it works.
const CADENCE = { intervalSeconds: 1, degradedAfterSeconds: 4, downAfterSeconds: 8 };

describe('receipt scanning through the monolith route, OCR in the real models service process', () => {
  let db: TestDatabase;
  let models: ModelsProcess;
  let app: App;
  let receipt: GeneratedReceipt;

  beforeAll(async () => {
    db = await createTestDatabase('assistant_receipts');
    models = await modelsProcess();
    await models.start();
    app = await build({
      databaseUrl: db.url,
      tokenSecret: SECRET,
      relay: false,
      docs: false,
      assistant: { mode: 'service', cost: 1, poolThreads: 1 },
      serviceCatalog: { env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: models.token }, health: { models: CADENCE } },
    });
    await app.ready();
    consumer = (await userToken(app, tokens, 'consumer', ['assistant:use'])).token;
    ({ id: sellerId, token: seller } = await userToken(app, tokens, 'seller', ['listings:write', 'assistant:use']));
    admin = (await userToken(app, tokens, 'admin', ['services:read'])).token;
    receipt = await generateReceipt(21, 3, { noise: false });
    // Ready means warm: /health answers 200 only once the OCR workers have loaded their data.
    await waitFor('models up', () => app.serviceCatalog.healthState('models'), (s) => s === 'up', 60_000);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await models?.stop();
    await db?.drop();
  });

  const scanJson = (body: unknown, token = consumer) =>
    app.inject({
      method: 'POST',
      url: '/api/consumer/assistant/receipts/scan',
      headers: { authorization: `Bearer ${token}` },
      payload: body as Record<string, unknown>,
    });
  const scanMultipart = (bytes: Buffer, mime = 'image/png', field = 'image') => {
    const { payload, contentType } = multipartBody(field, 'receipt', mime, bytes);
    return app.inject({
      method: 'POST',
      url: '/api/consumer/assistant/receipts/scan',
      headers: { authorization: `Bearer ${consumer}`, 'content-type': contentType },
      payload,
    });
  };
  /** How many scans reached the models service, from its own pulled logs. */
  const scansReceived = async () => {
    const [overview] = await app.serviceCatalog.overview({ logs: true, logLimit: 200 });
    const records = (overview!.logs as { lines: { records: Array<{ req?: { url?: string } }> } }).lines.records;
    return records.filter((r) => r.req?.url === '/v1/receipts/scan').length;
  };

  it('a multipart upload of a receipt image comes back as fields with per-field confidence', async () => {
    const res = await scanMultipart(receipt.image);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      merchant: { value: receipt.truth.merchant },
      date: { value: receipt.truth.date },
      currency: { value: receipt.truth.currency },
      total: { value: receipt.truth.totalCents },
      category: { value: receipt.truth.category },
    });
    expect(body.lines).toHaveLength(receipt.truth.lines.length);
    expect(body.total.confidence).toBeGreaterThan(0.8);
  }, 60_000);

  it('the same image as base64 JSON (a data URL too) is read the same way', async () => {
    const res = await scanJson({ image: `data:image/png;base64,${receipt.image.toString('base64')}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total.value).toBe(receipt.truth.totalCents);
  }, 60_000);

  it('bad images get 4xx problem+json naming the problem, and none of them reaches the engine', async () => {
    const before = await scansReceived();
    const cases: Array<[string, () => ReturnType<typeof scanJson>, number, string]> = [
      ['text file', () => scanMultipart(Buffer.from('this is not an image at all'), 'image/png'), 415, 'image-not-supported'],
      ['GIF', () => scanJson({ image: Buffer.from('GIF89a\x01\x00\x01\x00').toString('base64') }), 415, 'image-not-supported'],
      ['decompression bomb', () => scanMultipart(pngBomb(30_000, 30_000)), 413, 'image-too-many-pixels'],
      ['corrupt PNG', () => scanJson({ image: Buffer.concat([receipt.image.subarray(0, 8), Buffer.alloc(64, 7)]).toString('base64') }), 422, 'image-unreadable'],
      ['too many bytes (JSON)', () => scanJson({ image: Buffer.alloc(MAX_IMAGE_BYTES + 1, 0xff).toString('base64') }), 413, 'image-too-large'],
      ['too many bytes (multipart)', () => scanMultipart(Buffer.alloc(MAX_IMAGE_BYTES + 1, 0xff)), 413, 'image-too-large'],
      ['not base64', () => scanJson({ image: 'this is *not* base64!' }), 400, 'image-missing'],
      ['no file field', () => scanMultipart(receipt.image, 'image/png', 'picture'), 400, 'validation'],
    ];
    for (const [name, send, status, kind] of cases) {
      // The gate answers 503 first while the probe says down (on a starved box it can, between
      // cases); these cases are about the upload guard, so each starts with the service up.
      await waitFor('models up', () => app.serviceCatalog.healthState('models'), (s) => s === 'up', 60_000);
      const res = await send();
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.headers['content-type'], name).toContain('application/problem+json');
      expect(res.json().type, name).toBe(`/problems/${kind}`);
    }
    await waitFor('models up', () => app.serviceCatalog.healthState('models'), (s) => s === 'up', 60_000);
    const bomb = await scanMultipart(pngBomb(30_000, 30_000));
    expect(bomb.json().detail).toContain('30000x30000');
    expect(await scansReceived()).toBe(before);
  }, 180_000);

  it('a seller lists what a receipt shows as a fixed-price listing priced at its total', async () => {
    const single = await generateReceipt(21, 5, { noise: false });
    const res = await app.inject({
      method: 'POST',
      url: '/api/seller/assistant/receipts/listings',
      headers: { authorization: `Bearer ${seller}` },
      payload: { image: single.image.toString('base64'), title: 'Barely used, from my receipt', stock: 2 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { listing, scan } = res.json();
    expect(listing).toMatchObject({ kind: 'fixed-price', priceCents: single.truth.totalCents, stock: 2, title: 'Barely used, from my receipt' });
    expect(scan.total.value).toBe(single.truth.totalCents);
    const stored = await app.listings.find(listing.id);
    expect(stored).toMatchObject({ sellerId, priceCents: single.truth.totalCents, kind: 'fixed-price' });
  }, 60_000);

  it('the admin AI task routing view groups tasks by service with health and the scans just measured', async () => {
    const res = await app.inject({ url: '/api/admin/services/ai-tasks', headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(200);
    const [service] = res.json().services;
    expect(service).toMatchObject({ slug: 'models', active: true, health: 'up', aiTokenEnvVar: 'MS_MODELS_AI_TOKEN' });
    const ocr = service.tasks.find((t: { id: string }) => t.id === 'receipt-ocr');
    expect(ocr).toMatchObject({ endpoint: 'scanReceipt', feature: 'receipt-scan' });
    expect(ocr.latency.samples).toBeGreaterThanOrEqual(3);
    expect(ocr.latency.p50Ms).toBeGreaterThan(0);
  });

  it('outage: the features endpoint goes degraded then down within the declared cadence, scans answer 503 + Retry-After, and both recover', async () => {
    const features = async () => {
      const res = await app.inject({ url: '/api/public/features' });
      return (res.json().features as Array<{ feature: string; state: string }>).find((f) => f.feature === 'receipt-scan')!.state;
    };
    expect(await features()).toBe('up');
    await models.stop();
    const stoppedAt = Date.now();
    const seen = new Set<string>();
    await waitFor('receipt-scan down', async () => { const s = await features(); seen.add(s); return s; }, (s) => s === 'down', 15_000);
    // Down no later than downAfterSeconds after the last good probe, plus one probe interval of slack.
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual((CADENCE.downAfterSeconds + CADENCE.intervalSeconds) * 1000 + 1_000);
    expect(seen).toContain('degraded');

    const gated = await scanJson({ image: receipt.image.toString('base64') });
    expect(gated.statusCode).toBe(503);
    expect(gated.headers['retry-after']).toBe('1');
    expect(gated.json()).toMatchObject({ status: 503, type: '/problems/service-unavailable' });

    await models.start();
    await waitFor('receipt-scan up again', features, (s) => s === 'up', 60_000);
  }, 90_000);
});
