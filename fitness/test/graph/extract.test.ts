import { describe, expect, it } from 'vitest';
import { stronglyConnected } from '../../src/graph/cycles.js';
import { extractImports } from '../../src/graph/extract.js';

describe('extractImports', () => {
  it('classifies type-only edges and every import form, with 1-based positions', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B, type C } from './b.js';",
      "import { type D, e } from './d.js';",
      "import './side-effect.js';",
      "export type { F } from './f.js';",
      "export * from './g.js';",
      "import h = require('./h.js');",
      'const i = await import(`./i.js`);',
      "const j = require('./j.js');",
      "type K = import('./k.js').K;",
    ].join('\n');
    const { imports } = extractImports('x.ts', text);
    expect(imports.map((i) => [i.specifier, i.kind, i.typeOnly, i.line, i.column])).toEqual([
      ['./a.js', 'import', true, 1, 24],
      ['./b.js', 'import', true, 2, 32],
      ['./d.js', 'import', false, 3, 27],
      ['./side-effect.js', 'import', false, 4, 8],
      ['./f.js', 'export', true, 5, 24],
      ['./g.js', 'export', false, 6, 15],
      ['./h.js', 'import-equals', false, 7, 20],
      ['./i.js', 'dynamic-import', false, 8, 24],
      ['./j.js', 'require', false, 9, 19],
      ['./k.js', 'dynamic-import', true, 10, 17],
    ]);
  });

  it('reads archfit-ignore comments, with or without a reason', () => {
    const text = "// archfit-ignore module-boundary: legacy report, removed in Q3\n\nimport x from './x.js';\n// archfit-ignore layer-direction\nimport y from './y.js';\n";
    expect(extractImports('x.ts', text).ignores).toEqual([
      { rule: 'module-boundary', reason: 'legacy report, removed in Q3', line: 1, appliesTo: 3 },
      { rule: 'layer-direction', reason: '', line: 4, appliesTo: 5 },
    ]);
  });
});

describe('stronglyConnected', () => {
  it('finds components in linear time without recursion', () => {
    const g: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: [], e: ['e'] };
    const comps = stronglyConnected(Object.keys(g), (n) => g[n] ?? []).map((c) => c.sort().join(''));
    expect(comps.sort()).toEqual(['abc', 'd', 'e']);
    // A 100k-node chain would overflow a recursive implementation.
    const n = 100_000;
    const chain = stronglyConnected(
      Array.from({ length: n }, (_, i) => String(i)),
      (x) => (Number(x) < n - 1 ? [String(Number(x) + 1)] : ['0']),
    );
    expect(chain).toHaveLength(1);
  });
});
