import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdr } from '../../src/adr/parse.js';
import { buildDecisionsPage } from '../../src/site/decisions-page.js';
import { buildEvidencePage } from '../../src/site/evidence-page.js';
import { buildSite } from '../../src/site/generate.js';
import { historyChart } from '../../src/site/history-chart.js';
import { collectSiteInputs, type SiteInputs } from '../../src/site/inputs.js';
import { buildModulesPage } from '../../src/site/modules-page.js';
import { renderMarkdown } from '../../src/site/render/markdown.js';
import { buildServicesPage } from '../../src/site/services-page.js';
import { buildTriggersPage } from '../../src/site/triggers-page.js';
import { FIXED_NOW, makeShop, RUNS } from './helpers.js';

let root: string;
let empty: string;
let inputs: SiteInputs;
let bare: SiteInputs;

beforeAll(async () => {
  root = await makeShop();
  inputs = await collectSiteInputs({ root, now: FIXED_NOW, cache: false });
  // A repository archfit knows nothing about: no config, no ADRs, no evidence.
  empty = await mkdtemp(path.join(tmpdir(), 'archfit-site-empty-'));
  bare = await collectSiteInputs({ root: empty, now: FIXED_NOW });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

describe('decisions page data', () => {
  it('lists every record with status, links (including a link type the schema does not know yet) and the timeline newest first', () => {
    const page = buildDecisionsPage(inputs);
    expect(page.records.map((r) => [r.label, r.status])).toEqual([
      ['ADR-0001', 'accepted'],
      ['ADR-0002', 'superseded'],
      ['ADR-0003', 'proposed'],
    ]);
    expect(page.timeline.map((r) => r.number)).toEqual([3, 2, 1]);
    expect(page.edges).toEqual([
      { from: 3, to: 1, kind: 'amends' },
      { from: 3, to: 2, kind: 'supersedes' },
    ]);
    const r3 = page.records[2]!;
    expect(r3.relations.map((r) => r.kind)).toEqual(['amends', 'supersedes']);
    // Front matter the view has no section for is still visible, as YAML.
    expect(r3.otherFrontMatter.map((o) => o.key)).toEqual(['decision-makers']);
    expect(r3.otherFrontMatter[0]!.yaml).toContain('fixture team');
    // Extraction criteria are evaluated as `archfit adr criteria` does; a malformed one says so.
    expect(r3.criteria.map((c) => [c.kind, c.id, c.status])).toEqual([
      ['success', 'p99-kept', 'not-met'],
      ['rollback', 'half-written', 'invalid'],
    ]);
    expect(r3.criteria[0]!.detail).toContain('420 <= 250 ms does not hold');
  });

  it('gives each confirmation its current result: a rule from the check, a scenario threshold from the newest evidence', () => {
    const r1 = buildDecisionsPage(inputs).records[0]!;
    expect(r1.confirmations).toEqual([
      { ref: 'module-boundary', kind: 'rule', result: 'fail', detail: '1 new violation(s), 1 in the baseline' },
      { ref: 'writes:hot-p99', kind: 'threshold', result: 'fail', detail: 'hot_p99_ms 420 (<= 250 ms) in load/results/writes-20260505T120000000Z.json' },
    ]);
    expect(r1.triggers).toEqual([{ id: 'hot-writes', status: 'fired', summary: 'hot_p99_ms 420 > 250 ms', href: 'triggers.html#trigger-hot-writes' }]);
    expect(r1.modules).toEqual([
      { name: 'catalog', href: 'modules/catalog.html' },
      { name: 'orders', href: 'modules/orders.html' },
    ]);
  });

  it('reads status and date of records written before front matter (MADR 2 list, Nygard section, dated file name)', () => {
    const madr2 = parseAdr('# Use Lunr for search\n\n- Status: accepted\n- Date: 2020-11-03\n\nBody.\n', 'docs/adr/20201103-use-lunr-for-search.md');
    const nygard = parseAdr('# Avoid default exports\n\n## Status\n\nSuperseded by 12\n\n## Context\n', 'docs/adr/20200927-avoid-default-exports.md');
    const page = buildDecisionsPage({ ...bare, adr: { dir: 'docs/adr', collection: { dir: 'docs/adr', records: [madr2, nygard], unreadable: [] } } });
    expect(page.records.map((r) => [r.label, r.title, r.status, r.date])).toEqual([
      ['', 'Avoid default exports', 'superseded', '2020-09-27'],
      ['', 'Use Lunr for search', 'accepted', '2020-11-03'],
    ]);
  });

  it('says what would fill the section in a repository without records', () => {
    const page = buildDecisionsPage(bare);
    expect(page.records).toEqual([]);
    expect(page.empty).toMatch(/No decision records.*archfit adr new/);
  });

  it('renders a body without running its HTML or loading remote images, and links records to their pages', () => {
    const html = renderMarkdown("<script>alert(1)</script>\n\n![chart](https://example.com/c.png) ![local](c.png)\n\n[old](0002-old-shape.md#x)", new Set(['0002-old-shape.md']));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('src="https://example.com');
    expect(html).toContain('<a href="https://example.com/c.png">image: chart</a>');
    expect(html).toContain('<img src="c.png" alt="local">');
    expect(html).toContain('href="0002-old-shape.html#x"');
  });
});

describe('triggers page data', () => {
  it('shows the fired trigger with its value, threshold, deciding evidence and the metric across every evidence file', () => {
    const page = buildTriggersPage(inputs);
    expect(page.counts.find((c) => c.status === 'fired')?.count).toBe(1);
    const t = page.triggers[0]!;
    expect(t).toMatchObject({
      id: 'hot-writes',
      status: 'fired',
      value: 420,
      threshold: 250,
      comparator: '>',
      evidence: 'load/results/writes-20260505T120000000Z.json',
      evidenceHref: 'evidence.html#run-writes-20260505T120000000Z',
      adrHref: 'decisions/0001-keep-one-process.html',
      source: 'scenario writes',
    });
    expect(t.history.map((p) => [p.value, p.fires])).toEqual(RUNS.map((r) => [r.p99, r.p99 > 250]));
  });

  it('says that no record revisits a fired trigger, and links the one that does once it exists', async () => {
    expect(buildTriggersPage(inputs).triggers[0]!.revisit).toEqual({ records: [], answered: false, notes: [] });
    const records = inputs.adr.collection!.records;
    const revisit = { ...records[2]!, number: 4, fileName: '0004-revisit.md', title: 'Revisit hot writes', data: { status: 'accepted', revisits: [{ adr: 1, trigger: 'hot-writes' }] } };
    const withRevisit: SiteInputs = { ...inputs, adr: { ...inputs.adr, collection: { ...inputs.adr.collection!, records: [...records, revisit] } } };
    const view = buildTriggersPage(withRevisit).triggers[0]!;
    expect(view.revisit!.records).toEqual([{ number: 4, label: 'ADR-0004', title: 'Revisit hot writes', status: 'accepted', href: 'decisions/0004-revisit.html' }]);
  });

  it('draws the history with the threshold line, red points where it fires, and a text alternative', () => {
    const svg = historyChart(buildTriggersPage(inputs).triggers[0]!)!;
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="chart-hot-writes-t">hot_p99_ms across 3 evidence file\(s\); fires when &gt; 250 ms<\/title>/);
    expect(svg).toContain('class="threshold"');
    expect(svg.match(/class="pt fire"/g)).toHaveLength(1);
    expect(svg).toContain('2026-05-05T12:00: 420 ms (fires)');
  });

  it('keeps statuses and fields a newer library adds', () => {
    const t = { ...inputs.triggers!.triggers[0]!, status: 'suspended' as never, qualifying: 2 };
    const page = buildTriggersPage({ ...inputs, triggers: { ...inputs.triggers!, triggers: [t] } });
    expect(page.counts.map((c) => c.status)).toEqual(['armed', 'fired', 'no-evidence', 'stale', 'invalid', 'suspended'].filter((s) => page.counts.some((c) => c.status === s)));
    expect(page.counts.find((c) => c.status === 'suspended')?.count).toBe(1);
    expect(page.triggers[0]!.extra).toEqual([{ key: 'qualifying', value: '2' }]);
  });

  it('says what would fill the dashboard when nothing is declared', () => {
    expect(buildTriggersPage(bare).empty).toMatch(/No revisit triggers declared/);
  });
});

describe('modules page data', () => {
  it('gives each module its public names, events, routes per context, tables, rules, violations and baseline debt', () => {
    const page = buildModulesPage(inputs);
    expect(page.modules.map((m) => m.name)).toEqual(['catalog', 'orders']);
    const [catalog, orders] = page.modules as [NonNullable<(typeof page.modules)[0]>, NonNullable<(typeof page.modules)[0]>];
    expect(catalog.publicEntries[0]!.exports).toEqual([
      { name: 'listingPublished', typeOnly: false, from: './api/events.js' },
      { name: 'Listing', typeOnly: true, from: './domain/listing.js' },
    ]);
    expect(catalog.published.map((e) => [e.type, e.version, e.subscribers])).toEqual([['listing.published', 1, ['orders']]]);
    expect(catalog.routesByContext.map((c) => [c.context, c.routes.map((r) => r.route)])).toEqual([['public', ['GET /listings', 'GET /listings/:id']]]);
    expect(catalog.tables.map((t) => [t.name, t.line])).toEqual([['catalog.listings', 4]]);
    expect(catalog.schemas).toEqual(['catalog']);

    expect(orders.consumed).toEqual([{ type: 'listing.published', publisher: 'catalog', via: 'contract + subscription' }]);
    expect(orders.routesByContext.map((c) => [c.context, c.routes.map((r) => r.route)])).toEqual([['consumer', ['GET /orders', 'POST /orders']]]);
    expect(orders.tables.map((t) => t.name)).toEqual(['orders.order_lines', 'orders.orders']);
    expect(orders.violations.map((v) => [v.rule, v.file])).toEqual([['module-boundary', 'src/modules/orders/application/refund.ts']]);
    expect(orders.baseline.map((v) => [v.rule, v.file])).toEqual([['module-boundary', 'src/modules/orders/application/place-order.ts']]);
    expect(orders.rules.find((r) => r.id === 'module-boundary')).toMatchObject({ violations: 1, baseline: 1 });
    expect(orders.decisions.map((d) => d.label)).toEqual(['ADR-0001', 'ADR-0003']);
    expect(orders.dependencies.find((d) => d.to === 'catalog')).toMatchObject({ allowed: true, isModule: true, violations: ['module-boundary'] });
  });

  it('highlights the violating edge on the map', () => {
    const page = buildModulesPage(inputs);
    expect(page.violatingEdges.map((e) => [e.from, e.to, e.violations])).toEqual([['orders', 'catalog', ['module-boundary']]]);
  });

  it('says what would fill the map in a repository without an archfit config', () => {
    expect(buildModulesPage(bare).empty).toMatch(/No archfit config/);
  });
});

describe('load evidence page data', () => {
  it('lists runs newest first with their quality beside the figures, and copies the per-run reports', () => {
    const page = buildEvidencePage(inputs);
    const runs = page.scenarios[0]!.runs;
    expect(page.scenarios.map((s) => [s.scenario, s.definition])).toEqual([['writes', 'load/scenarios/writes.json']]);
    expect(runs.map((r) => r.file)).toEqual(['load/results/writes-20260505T120000000Z.json', 'load/results/writes-20260503T120000000Z.json', 'load/results/writes-20260501T120000000Z.json']);
    const quality = Object.fromEntries(runs[0]!.quality.map((q) => [q.key, q.value]));
    expect(quality).toMatchObject({ profile: 'full', 'load average at start': '0.5 / 0.4 / 0.3', calibration: 'error 2 % (tolerance 10 %): passed', 'highest error rate of a step': '0 %' });
    expect(runs[0]!.reports).toEqual([{ href: 'evidence/writes-20260505T120000000Z.html', kind: 'HTML report' }]);
    expect(page.copies).toContainEqual({ from: 'load/results/writes-20260505T120000000Z.html', to: 'evidence/writes-20260505T120000000Z.html' });
    expect(runs[0]!.thresholds.map((t) => t.verdict)).toEqual(['fail']);
  });

  it('says what would fill it without evidence', () => {
    expect(buildEvidencePage(bare).empty).toMatch(/No load evidence in load\/results/);
  });
});

describe('services page data', () => {
  it('reads the catalog without running it: endpoints, AI tasks and health cadence', () => {
    const page = buildServicesPage(inputs);
    expect(page.source).toBe('src/shared/services.ts (services)');
    expect(page.services).toEqual([
      {
        slug: 'models',
        displayName: 'Models (compute)',
        baseUrlEnvVar: 'MODELS_SERVICE_URL',
        tokenEnvVar: 'MODELS_TOKEN',
        health: { intervalSeconds: 5, degradedAfterSeconds: 10, downAfterSeconds: 15 },
        aiTasks: [{ id: 'listing-embedding', shape: 'embedding', label: 'Listing search embeddings' }],
        endpoints: [{ name: 'embed', method: 'POST', path: '/v1/embed', idempotent: true, timeoutMs: 10000 }],
        live: undefined,
      },
    ]);
  });

  it('says what would fill it without a catalog', () => {
    expect(buildServicesPage(bare).empty).toMatch(/No catalog of extracted services/);
  });
});

describe('the whole site', () => {
  it('has a page per record and per module, every local link resolves, and no page refers to the network', () => {
    const site = buildSite(inputs);
    const files = new Set([...site.pages.keys(), ...site.copies.map((c) => c.to), 'assets/minisearch.js']);
    for (const f of ['index.html', 'decisions.html', 'decisions/0001-keep-one-process.html', 'triggers.html', 'modules.html', 'modules/orders.html', 'evidence.html', 'services.html', 'assets/search-index.js']) {
      expect(files.has(f), f).toBe(true);
    }
    for (const [file, html] of site.pages) {
      if (!file.endsWith('.html')) continue;
      // Anything loaded by the page (scripts, styles, images) is local.
      expect(html.match(/<(?:script|img|link)[^>]+(?:src|href)="([^"]+)"/g)?.filter((m) => /"(?:https?:)?\/\//.test(m)) ?? [], file).toEqual([]);
      for (const [, href] of html.matchAll(/(?:href|src)="([^"#?]+)(?:#[^"]*)?"/g)) {
        if (/^[a-z]+:/.test(href!)) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), href!));
        expect(files.has(target), `${file} links ${href}`).toBe(true);
      }
    }
  });

  it('a repository with nothing archfit reads still gets every page', () => {
    const site = buildSite(bare);
    expect([...site.pages.keys()].filter((f) => f.endsWith('.html'))).toEqual(['decisions.html', 'evidence.html', 'index.html', 'modules.html', 'services.html', 'triggers.html']);
  });
});
