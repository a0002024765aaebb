import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeRepo } from '../support/tmp-repo.js';

/** Issue 10 "show the work": which tsconfig governs which files, and how every import resolved. */
const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));
const json = (x: unknown) => JSON.stringify(x);

function repo() {
  const r = makeRepo({
    'package.json': json({ name: 'mono', private: true }),
    'tsconfig.json': json({ files: [], references: [{ path: './src/modules/orders' }] }),
    'src/modules/orders/tsconfig.json': json({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16' }, include: ['**/*.ts'] }),
    'src/modules/orders/index.ts': "import { c } from '../catalog/index';\nimport { gone } from './gone';\nexport const o = [c, gone];\n",
    'src/modules/catalog/index.ts': 'export const c = 1;\n',
    'archfit.config.json': json({ modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['catalog'] } }),
  });
  repos.push(r);
  return r;
}
const run = async (root: string, ...args: string[]) => {
  const out = path.join(root, 'out.json');
  const code = await main(['node', 'archfit', ...args, root, '-o', out, '--no-cache']);
  return { code, text: readFileSync(out, 'utf8') };
};

describe('archfit modules and archfit graph --level file show how resolution went', () => {
  it('modules lists each module with its governing tsconfigs, file count and unresolved imports', async () => {
    const r = repo();
    const { code, text } = await run(r.root, 'modules', '--format', 'json');
    expect(code).toBe(0);
    const doc = JSON.parse(text);
    expect(doc.modules.map((m: { name: string; files: number; tsconfigs: unknown; unresolvedImports: number }) => [m.name, m.files, m.tsconfigs, m.unresolvedImports])).toEqual([
      ['catalog', 1, [{ tsconfig: 'tsconfig.json (nearest; its include does not hold the file)', files: 1 }], 0],
      ['orders', 1, [{ tsconfig: 'src/modules/orders/tsconfig.json', files: 1 }], 1],
    ]);
    const textOut = await run(r.root, 'modules');
    expect(textOut.text).toContain('tsconfig src/modules/orders/tsconfig.json: 1 files');
  });

  it('graph --level file --format json gives every edge with how it resolved', async () => {
    const r = repo();
    const { code, text } = await run(r.root, 'graph', '--level', 'file', '--format', 'json');
    expect(code).toBe(0);
    const doc = JSON.parse(text);
    expect(doc.imports.relative).toEqual({ resolved: 1, unresolved: 1 });
    expect(doc.files.find((f: { path: string }) => f.path === 'src/modules/orders/index.ts')).toEqual({
      path: 'src/modules/orders/index.ts',
      module: 'orders',
      publicEntry: true,
      tsconfig: 'src/modules/orders/tsconfig.json',
      how: 'includes',
      format: 'cjs',
    });
    expect(doc.edges).toEqual([
      { from: 'src/modules/orders/index.ts', specifier: '../catalog/index', line: 1, column: 19, kind: 'import', typeOnly: false, resolution: 'relative', to: 'src/modules/catalog/index.ts', mode: 'require' },
      { from: 'src/modules/orders/index.ts', specifier: './gone', line: 2, column: 22, kind: 'import', typeOnly: false, resolution: 'unresolved', unresolvedAs: 'relative', mode: 'require' },
    ]);
    expect((await run(r.root, 'graph', '--level', 'file', '--format', 'dot')).code).toBe(2);
  });
});
