import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadK6Script } from './support/k6-shim.js';
import { installInto, packWorkspace } from './support/packed.js';

// `archfit load` outside this repository: archfit and @archfit/load packed as npm would
// publish them, installed into a scratch project in the OS temp dir (no path back to this
// checkout), with a tiny Fastify app of its own. One install serves every test here.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const exec = promisify(execFile);
let work: string;
let project: string;
let app: ChildProcess | undefined;
let target: string;

const SERVER = `import Fastify from 'fastify';
const app = Fastify();
app.get('/health', async () => ({ ok: true }));
app.get('/products', async (req) => ({ page: Number(req.query.page ?? 0), items: [] }));
app.post('/cart', async (req, reply) => {
  if (req.headers.authorization !== 'Bearer ' + process.env.SHOP_TOKEN) return reply.code(401).send({ title: 'no token' });
  return reply.code(req.body.sku % 7 === 0 ? 409 : 201).send({ ok: true });
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

const DEFINITION = {
  id: 'shop-mix',
  kind: 'http-mix',
  description: 'The scratch shop: browse and add to cart, the cart behind a bearer token from the environment.',
  baseUrl: 'http://127.0.0.1:3000',
  seed: 5,
  fills: { sku: { type: 'int', min: 1, max: 100 }, page: { type: 'pick', values: [0, 1, 2] } },
  requests: [
    { name: 'browse', weight: 3, method: 'GET', path: '/products?page={page}', expect: [200] },
    { name: 'add_to_cart', weight: 1, method: 'POST', path: '/cart', headers: { authorization: 'Bearer {env.SHOP_TOKEN}' }, body: { sku: '{sku}' }, expect: [201, 409] },
  ],
  slo: { p99Ms: 2000, maxErrorRate: 0.01 },
  // The quick profile: one calibration try and indicative evidence, so a busy CI machine cannot
  // turn this test into a calibration failure (exit 4); the full profile would have to pass it.
  profiles: {
    full: { steps: { rates: [{ name: 'base', rate: 20 }, { name: 'peak', rate: 50 }] }, stepDurationS: 10, warmupS: 2, connections: 4 },
    quick: { steps: { rates: [{ name: 'base', rate: 20 }, { name: 'peak', rate: 50 }] }, stepDurationS: 2, warmupS: 0.5, connections: 4 },
  },
  // No latency bound decides anything here (the machine is shared and noisy): the threshold and
  // the trigger read the share of unexpected answers, which the app decides (201 or 409 by sku,
  // both expected), so it is 0 however slow the machine (short of the 10 s request timeout).
  thresholds: [{ id: 'peak-errors', metric: 'error_rate_peak', comparator: '<=', value: 0.01, unit: 'ratio' }],
  metrics: {
    error_rate_peak: { unit: 'ratio', description: 'share of unexpected answers at the peak step' },
    sustainable_rate_rps: { unit: 'req/s', description: 'highest fixed rate within the SLO' },
  },
};

const ADR = `---
status: accepted
date: 2026-12-01
decision-makers: [shop team]
revisit-triggers:
  - id: shop-cart-errors
    description: The cart answers anything but 201 or 409 at the peak rate, when we agreed to look at splitting it out.
    metric: error_rate_peak
    comparator: ">"
    threshold: { value: 0.01, unit: ratio }
    source: { scenario: shop-mix }
---

# One process for the shop

## Context and Problem Statement

A scratch project's decision, for the packed-install test.
`;

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  return port;
}

/**
 * The user's shell, not ours: npm's own variables are left out. Under `npx -p node@24` (how CI
 * runs the Node 24 pass) they include npm_config_package=node@24, and an inner npx would then
 * try to fetch node@24 instead of running the project's archfit.
 */
const USER_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

const npx = (args: string[], env: Record<string, string> = {}) =>
  exec('npx', ['--no-install', ...args], { cwd: project, env: { ...USER_ENV, ...env, npm_config_yes: 'false' }, timeout: 120_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'archfit-scratch-'));
  expect(work.startsWith(REPO)).toBe(false);
  if (!existsSync(path.join(REPO, 'fitness/dist/cli/main.js'))) throw new Error('fitness/dist is not built: run npm run build first (npm test does)');
  const packs = path.join(work, 'packs');
  const archfit = await packWorkspace(path.join(REPO, 'fitness'), packs, { scripts: false });
  const load = await packWorkspace(path.join(REPO, 'load'), packs, { scripts: true });
  project = path.join(work, 'shop');
  await mkdir(path.join(project, 'adr'), { recursive: true });
  await mkdir(path.join(project, 'load/scenarios'), { recursive: true });
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch-shop', private: true, type: 'module' }));
  await writeFile(path.join(project, 'server.mjs'), SERVER);
  await writeFile(path.join(project, 'archfit.config.json'), JSON.stringify({ modules: [], adr: { dir: 'adr' }, load: { scenarios: 'load/scenarios', results: 'load/results' } }));
  await writeFile(path.join(project, 'adr/0001-one-process-for-the-shop.md'), ADR);
  await writeFile(path.join(project, 'load/scenarios/shop-mix.json'), JSON.stringify(DEFINITION, null, 2));
  const fastify = JSON.parse(await readFile(path.join(REPO, 'node_modules/fastify/package.json'), 'utf8')).version as string;
  await installInto(project, [archfit, load, `fastify@^${fastify}`]);
  const port = await freePort();
  target = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, ['server.mjs'], { cwd: project, env: { ...process.env, PORT: String(port), SHOP_TOKEN: 'secret-1' }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${target}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the scratch app did not start');
}, 600_000);

afterAll(async () => {
  app?.kill();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('archfit load in a scratch project (packed tarballs, no file of this repository)', () => {
  it('resolves archfit and @archfit/load from the scratch project itself', async () => {
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('archfit'), import.meta.resolve('@archfit/load'))"], { cwd: project });
    for (const url of stdout.trim().split(' ')) expect(fileURLToPath(url).startsWith(path.join(project, 'node_modules'))).toBe(true);
    expect(existsSync(path.join(project, 'node_modules/@archfit/load/runner/http-mix-cli.ts'))).toBe(false);
  });

  it('npx archfit load <definition> writes evidence that npx archfit triggers reads', async () => {
    const run = await npx(['archfit', 'load', 'load/scenarios/shop-mix.json', '--target', target, '--quick'], { SHOP_TOKEN: 'secret-1' });
    expect(run.stderr + run.stdout).not.toMatch(/Error:/);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/pass {4}peak-errors: error_rate_peak 0 /);
    const files = (await readdir(path.join(project, 'load/results'))).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const evidence = JSON.parse(await readFile(path.join(project, 'load/results', files[0]!), 'utf8'));
    expect(evidence).toMatchObject({ scenario: 'shop-mix', profile: 'quick', runner: { name: 'archfit-open-model' }, target: { url: target } });
    expect(evidence.quality.calibration.truth).toEqual({ p50: 50, p90: 650, p99: 1010 });
    expect(evidence.steps.map((s: { label: string; errors: { total: number } }) => [s.label, s.errors.total])).toEqual([['base', 0], ['peak', 0]]);
    expect(JSON.stringify(evidence)).not.toContain(REPO);

    const triggers = await npx(['archfit', 'triggers', '--format', 'json']);
    const row = JSON.parse(triggers.stdout).triggers[0];
    expect(row.id).toBe('shop-cart-errors');
    // Read means: the trigger's value comes from this evidence file, as a deciding run or as an indicative one.
    const read = row.evidence === `load/results/${files[0]}` ? row.value : row.indicative?.find((i: { file: string }) => i.file === `load/results/${files[0]}`)?.value;
    expect(evidence.metrics.error_rate_peak).toBe(0);
    expect(read).toBe(0);
  }, 180_000);

  it('says what is missing: an unset {env.X}, a non-loopback target not named with --allow-host, no @archfit/load', async () => {
    const env = await npx(['archfit', 'load', 'load/scenarios/shop-mix.json', '--target', target, '--quick', '--no-triggers', '--results', 'other-results'], { SHOP_TOKEN: '' });
    // An empty token is a value (unset is not, below): the run goes ahead, the cart refuses the
    // token (401, not an expected answer) and the threshold on unexpected answers fails, exit 1.
    expect(env.code, env.stderr + env.stdout).toBe(1);
    expect(env.stdout).toMatch(/fail {4}peak-errors: error_rate_peak 0\.\d+ /);
    const unset = await exec('sh', ['-c', `unset SHOP_TOKEN; npx --no-install archfit load load/scenarios/shop-mix.json --target ${target}`], { cwd: project, env: USER_ENV }).then(() => 0, (e: { code: number; stderr: string }) => e);
    expect(unset).toMatchObject({ code: 2, stderr: expect.stringMatching(/environment variable SHOP_TOKEN not set \(used by request add_to_cart\)/) });
    const remote = await npx(['archfit', 'load', 'load/scenarios/shop-mix.json', '--target', 'http://10.255.255.1:8080'], { SHOP_TOKEN: 'x' });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/refusing to send load to http:\/\/10\.255\.255\.1:8080.*--allow-host 10\.255\.255\.1/s);
    const bare = await mkdtemp(path.join(tmpdir(), 'archfit-bare-'));
    try {
      const none = await npx(['archfit', 'load', 'load/scenarios/shop-mix.json', '--root', bare]);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/needs the @archfit\/load package.*npm install --save-dev @archfit\/load/s);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  }, 120_000);

  it('npx archfit load --k6 writes a self-contained k6 script from the installed package', async () => {
    const gen = await npx(['archfit', 'load', '--k6', 'load/scenarios/shop-mix.json', '--out', 'shop-mix.k6.js', '--quick']);
    expect(gen.code, gen.stderr + gen.stdout).toBe(0);
    const script = await loadK6Script(await readFile(path.join(project, 'shop-mix.k6.js'), 'utf8'), { SHOP_TOKEN: 'secret-1' });
    script.runAll();
    expect(Object.keys(script.exports.options.scenarios)).toEqual(['warmup', 'base', 'peak']);
    expect(script.requests).toHaveLength(10 + 40 + 100);
    expect(script.requests.filter((r) => r.method === 'POST').every((r) => r.params.headers?.authorization === 'Bearer secret-1')).toBe(true);
  }, 60_000);
});
