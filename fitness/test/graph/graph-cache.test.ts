import { appendFileSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serialize, deserialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import type { ImportGraph } from '../../src/graph/types.js';
import { copyFixture, fixturesDir, makeRepo } from '../support/tmp-repo.js';
import { generateRepo } from '../../bench/generate.js';
import { generateWorkspaceRepo } from '../../bench/generate-workspaces.js';

/**
 * The columnar graph cache (`.archfit-cache/graph.bin`) must give back exactly the graph a run
 * without any cache builds, and a cache it cannot trust must cost only speed.
 */
const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
function fixture(name: string) {
  const repo = copyFixture(name);
  repos.push(repo);
  return repo;
}

/** Everything the rules read, in a form where Map order does not matter. */
function snapshot(graph: ImportGraph): unknown {
  const sorted = <V>(m: Map<string, V>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return {
    files: sorted(graph.files),
    edges: graph.edges,
    outgoing: sorted(graph.outgoing),
    ignores: sorted(graph.ignores),
    hashes: sorted(graph.hashes),
    resolution: sorted(graph.resolution),
    tsconfigProblems: graph.tsconfigProblems,
    skipped: graph.skipped,
  };
}

const fixtures = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('graph cache', () => {
  it.each(fixtures)('%s: a cold cached run and a warm one give the graph a run without cache gives', async (name) => {
    const repo = fixture(name);
    const config = await loadConfig(repo.root, { cache: false });
    const bare = await buildGraph(config, { cache: false });
    const cold = await buildGraph(config, { cache: true });
    const warm = await buildGraph(config, { cache: true });
    expect(warm.stats.parsed).toBe(0);
    expect(warm.stats.resolved).toBe(0);
    expect(snapshot(cold.graph)).toEqual(snapshot(bare.graph));
    expect(snapshot(warm.graph)).toEqual(snapshot(bare.graph));
  });

  it.each(fixtures)('%s: every file edited, each resolved with the tsconfig the cache recorded, as a run without cache resolves it', async (name) => {
    const repo = fixture(name);
    const config = await loadConfig(repo.root, { cache: false });
    const first = await buildGraph(config, { cache: true });
    for (const file of first.graph.files.keys()) appendFileSync(path.join(repo.root, file), '\n// edited\n');
    const edited = await buildGraph(config, { cache: true });
    expect(edited.stats.parsed).toBe(first.stats.files);
    expect(snapshot(edited.graph)).toEqual(snapshot((await buildGraph(config, { cache: false })).graph));
  });

  it.each([
    ['modules', (dir: string) => generateRepo({ dir, files: 400, modules: 6 })],
    ['workspaces', (dir: string) => generateWorkspaceRepo({ dir, files: 400, modules: 6 })],
  ])('the generated %s benchmark: warm, and every file edited, give the graph a run without cache gives', async (_name, generate) => {
    const repo = makeRepo({});
    repos.push(repo);
    generate(repo.root);
    const config = await loadConfig(repo.root, { cache: false });
    const bare = await buildGraph(config, { cache: false });
    await buildGraph(config, { cache: true });
    expect(snapshot((await buildGraph(config, { cache: true })).graph)).toEqual(snapshot(bare.graph));
    for (const file of bare.graph.files.keys()) appendFileSync(path.join(repo.root, file), '\n// edited\n');
    const edited = await buildGraph(config, { cache: true });
    expect(edited.stats.parsed).toBe(bare.stats.files);
    expect(snapshot(edited.graph)).toEqual(snapshot((await buildGraph(config, { cache: false })).graph));
  });

  it("an edited file still maps a workspace package's build output back to its source (the mappings come from the cache)", async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['libs/*'] }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext' } }),
      'libs/money/package.json': JSON.stringify({ name: '@mono/money', exports: { '.': './dist/index.js' } }),
      'libs/money/tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext', outDir: 'out', rootDir: 'src' } }),
      'libs/money/src/index.ts': 'export const money = 2;\n',
      'libs/shop/package.json': JSON.stringify({ name: '@mono/shop' }),
      'libs/shop/src/index.ts': "import { money } from '@mono/money';\nexport const shop = money;\n",
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'libs/*', publicEntries: ['src/index.ts'] }] }),
    });
    repos.push(repo);
    const config = await loadConfig(repo.root, { cache: false });
    await buildGraph(config, { cache: true });
    repo.write('libs/shop/src/index.ts', "import { money } from '@mono/money';\nexport const shop = money + 1;\n");
    const edited = await buildGraph(config, { cache: true });
    expect(edited.stats.parsed).toBe(1);
    expect(edited.graph.outgoing.get('libs/shop/src/index.ts')!.map((e) => [e.to, e.resolution, e.via])).toEqual([['libs/money/src/index.ts', 'workspace', 'output']]);
    expect(snapshot(edited.graph)).toEqual(snapshot((await buildGraph(config, { cache: false })).graph));
  });

  it('an edited file is re-parsed and the rest come from the cache, as a run without cache sees them', async () => {
    const repo = fixture('unresolved-import');
    const config = await loadConfig(repo.root, { cache: false });
    await buildGraph(config, { cache: true });
    const target = 'src/modules/orders/index.ts';
    const text = readFileSync(path.join(repo.root, target), 'utf8');
    repo.write(target, `${text}\nimport '../catalog/does-not-exist.js';\n`);
    const edited = await buildGraph(config, { cache: true });
    expect(edited.stats.parsed).toBe(1);
    expect(snapshot(edited.graph)).toEqual(snapshot((await buildGraph(config, { cache: false })).graph));
    expect(edited.graph.outgoing.get(target)!.some((e) => e.specifier === '../catalog/does-not-exist.js' && e.resolution === 'unresolved')).toBe(true);
  });

  it('a touched but unchanged file is read and hashed, not parsed, and its new stat is kept', async () => {
    const repo = fixture('layer-direction');
    const config = await loadConfig(repo.root, { cache: false });
    const first = await buildGraph(config, { cache: true });
    const file = [...first.graph.files.keys()][0]!;
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(repo.root, file), later, later);
    const touched = await buildGraph(config, { cache: true });
    expect(touched.stats.parsed).toBe(0);
    expect(snapshot(touched.graph)).toEqual(snapshot(first.graph));
    // The new mtime was written back: the next run matches every file by stat alone.
    const cacheFile = path.join(repo.root, config.cache.dir, 'graph.bin');
    const stored = deserialize(readFileSync(cacheFile)) as { files: string[]; mtimes: Float64Array };
    expect(stored.mtimes[stored.files.indexOf(file)]).toBe(statSync(path.join(repo.root, file)).mtimeMs);
  });

  it.each([
    ['garbage bytes', () => Buffer.from('not a cache')],
    ['a truncated file', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    [
      'a row pointing past the string table',
      (bytes: Buffer) => {
        const data = deserialize(bytes) as { strings: string[]; rows: Int32Array };
        data.rows[6] = data.strings.length + 5;
        return serialize(data);
      },
    ],
    [
      'columns of different lengths',
      (bytes: Buffer) => {
        const data = deserialize(bytes) as { hashes: string[] };
        data.hashes.pop();
        return serialize(data);
      },
    ],
  ])('a cache holding %s is ignored: the run is cold and its graph is right', async (_what, corrupt) => {
    const repo = fixture('module-boundary');
    const config = await loadConfig(repo.root, { cache: false });
    const first = await buildGraph(config, { cache: true });
    const cacheFile = path.join(repo.root, config.cache.dir, 'graph.bin');
    writeFileSync(cacheFile, corrupt(readFileSync(cacheFile)));
    const again = await buildGraph(config, { cache: true });
    expect(again.stats.parsed).toBe(again.stats.files);
    expect(snapshot(again.graph)).toEqual(snapshot(first.graph));
    // ...and it was rewritten whole: the next run is warm.
    expect((await buildGraph(config, { cache: true })).stats.parsed).toBe(0);
  });
});
