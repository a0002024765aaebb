import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../src/site/generate.js';
import { FIXED_NOW, makeShop } from './helpers.js';

/**
 * The generated site in a real browser: Debian's chromium, driven by playwright-core, loading
 * the pages from disk. .ci/run installs chromium when it is missing; only when it cannot be
 * found (a developer machine without it) is this file skipped, saying so.
 */
const CHROMIUM = process.env.ARCHFIT_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`browser test skipped: no chromium at ${CHROMIUM} (install Debian's chromium package, or set ARCHFIT_CHROMIUM)`);
}

/** Screenshots for a person to look at; the folder is gitignored (fitness/test/site/.gitignore). */
const ARTEFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artefacts');

let repo: string;
let out: string;
let profile: string;
let context: BrowserContext;
/** Every request whose URL is not a file: (or data:/about:) URL: the site must make none. */
const external: string[] = [];

const url = (page: string) => pathToFileURL(path.join(out, page)).href;

async function open(page: string): Promise<Page> {
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  await p.goto(url(page), { waitUntil: 'load' });
  return p;
}

describe.skipIf(!HAVE_CHROMIUM)('archfit site in headless chromium', () => {
  beforeAll(async () => {
    repo = await makeShop();
    out = await mkdtemp(path.join(tmpdir(), 'archfit-site-out-'));
    await generateSite({ root: repo, out, now: FIXED_NOW, cache: false });
    profile = await mkdtemp(path.join(tmpdir(), 'archfit-site-profile-'));
    await mkdir(ARTEFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Route interception sees every http(s)/ws request a page makes; it fails them and records them.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (/^(?:file|data|about|blob):/.test(u)) return route.continue();
      if (!external.includes(u)) external.push(u);
      return route.abort();
    });
    context.on('request', (req) => {
      if (!/^(?:file|data|about|blob):/.test(req.url()) && !external.includes(req.url())) external.push(req.url());
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    for (const dir of [repo, out, profile]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('search finds a record by a word in its body, and works from the keyboard', async () => {
    const page = await open('index.html');
    const box = page.getByRole('searchbox', { name: 'Search decision records' });
    await box.focus();
    await page.keyboard.type('flamingo');
    const first = page.locator('#search-results a').first();
    await expect.poll(async () => first.textContent()).toContain('ADR-0001 Keep one process');
    await page.screenshot({ path: path.join(ARTEFACTS, 'search.png') });
    // ArrowDown moves into the results, ArrowUp back to the box, Enter follows the focused result.
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toContain('ADR-0001');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('q');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(/decisions\/0001-keep-one-process\.html$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Keep one process');
    // The record's raw <script> is shown as text, never run.
    expect(await page.locator('article.record').textContent()).toContain("<script>alert('not run')</script>");
    await page.close();
  }, 90_000);

  it('a word found in no record says so', async () => {
    const page = await open('decisions.html');
    await page.getByRole('searchbox').fill('zzzyxw');
    await expect.poll(async () => page.locator('#search-results').textContent()).toContain('No record matches');
    await page.close();
  }, 60_000);

  it('the fired trigger shows as fired with its history chart and says no revisit record exists', async () => {
    const page = await open('triggers.html');
    const section = page.locator('#trigger-hot-writes');
    expect(await section.locator('h2 .badge').textContent()).toBe('fired');
    const chart = section.locator('svg.chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toContain('hot_p99_ms across 3 evidence file(s)');
    expect(await chart.locator('circle.pt.fire').count()).toBe(1);
    expect(await chart.locator('line.threshold').count()).toBe(1);
    expect(await section.textContent()).toContain('no record revisits ADR-0001');
    await section.screenshot({ path: path.join(ARTEFACTS, 'trigger-fired.png') });
    await page.close();
  }, 60_000);

  it('the module page lists the events it publishes and consumes and its routes per context', async () => {
    const catalog = await open('modules/catalog.html');
    const text = (await catalog.locator('main').textContent()) ?? '';
    expect(text).toContain('listing.published');
    expect(text).toContain('Context public');
    expect(text).toContain('GET /listings/:id');
    expect(text).toContain('catalog.listings');
    await catalog.close();
    const orders = await open('modules/orders.html');
    const consumed = orders.locator('table', { has: orders.locator('caption', { hasText: 'Events orders consumes' }) });
    expect(await consumed.textContent()).toContain('listing.published');
    expect(await orders.locator('main').textContent()).toContain('POST /orders');
    await orders.screenshot({ path: path.join(ARTEFACTS, 'module-orders.png'), fullPage: true });
    await orders.close();
  }, 60_000);

  it('every page passes axe-core with no serious or critical violation', async () => {
    const require = createRequire(import.meta.url);
    const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    const pages = ['index.html', 'decisions.html', 'decisions/0001-keep-one-process.html', 'decisions/0003-modular-shape.html', 'triggers.html', 'modules.html', 'modules/orders.html', 'evidence.html', 'services.html'];
    const found: string[] = [];
    for (const name of pages) {
      const page = await open(name);
      await page.addScriptTag({ content: axe });
      // A string, not a function: the test is compiled without the DOM library.
      const violations = await page.evaluate<Array<{ id: string; impact: string; where: string[] }>>(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`,
      );
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${name}: ${v.id} (${v.impact}) at ${v.where.join(', ')}`);
      await page.close();
    }
    expect(found).toEqual([]);
    // axe over nine pages takes a minute on a loaded 2-core machine; bounded, not timed.
  }, 300_000);

  it('no request left any page for the network (and the counter does see one when a page makes it)', async () => {
    expect(external).toEqual([]);
    // Control: a request from a page of the site is caught, so the empty list above means something.
    const page = await open('index.html');
    await page.evaluate(() => fetch('http://127.0.0.1:9/control').catch(() => undefined));
    await expect.poll(() => external.length).toBe(1);
    expect(external[0]).toBe('http://127.0.0.1:9/control');
    await page.close();
  }, 60_000);
});
