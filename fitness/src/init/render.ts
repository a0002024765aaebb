import type { Inference } from './infer.js';

export interface RenderInput {
  inference: Inference;
  /** module -> modules it may import. */
  dependencies: Record<string, string[]>;
  /** Modules whose dependencies were observed in today's imports (not declared anywhere). */
  observed: Set<string>;
  version: string;
}

/**
 * The config `archfit init` writes: TypeScript (typed by defineConfig, loaded through jiti), a
 * comment on every inferred part saying where it came from, so a reader can judge each line.
 */
export function renderConfig({ inference, dependencies, observed, version }: RenderInput): string {
  const list = (xs: string[]) => `[${xs.map((x) => `'${x.replace(/'/g, "\\'")}'`).join(', ')}]`;
  const lines: string[] = [
    `// Written by \`archfit init\` (archfit ${version}) from what this repository says about itself:`,
    ...inference.notes.map((n) => `//   - ${n}`),
    '// `archfit check` enforces this map, `archfit modules` prints it resolved. Every key is',
    '// described in archfit\'s docs/fitness.md; edit freely.',
    "import { defineConfig } from 'archfit';",
    '',
    'export default defineConfig({',
    '  // One entry per module: its folder, and the files other modules may import (relative to it).',
    '  modules: [',
  ];
  for (const m of inference.modules) {
    lines.push(`    // ${m.source}`);
    lines.push(`    { name: '${m.name}', root: '${m.root}', publicEntries: ${list(m.publicEntries)} },`);
  }
  lines.push('  ],');
  const withDeps = inference.modules.filter((m) => (dependencies[m.name] ?? []).length > 0);
  lines.push(
    '  // Which module may import which. Declared ones come from package.json; observed ones are',
    '  // what the code imports today. Delete an entry to forbid it: the imports it covers become',
    '  // violations (recorded in the baseline until fixed).',
    '  dependencies: {',
  );
  for (const m of withDeps) {
    lines.push(`    '${m.name}': ${list(dependencies[m.name]!)},${observed.has(m.name) ? ' // observed' : ' // declared'}`);
  }
  lines.push('  },');
  const tagged = inference.modules.filter((m) => m.tags?.length);
  if (tagged.length) {
    lines.push('  // Tags copied from Nx project.json.', '  tags: {');
    for (const m of tagged) lines.push(`    '${m.name}': ${list(m.tags!)},`);
    lines.push('  },');
  }
  lines.push('});', '');
  return lines.join('\n');
}
