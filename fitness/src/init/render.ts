import type { Inference } from './infer.js';

export interface RenderInput {
  inference: Inference;
  /** module -> modules it may import. */
  dependencies: Record<string, string[]>;
  /** module -> dependencies only today's imports declare (not package.json). */
  observed: Record<string, string[]>;
  exemptions: { rule: string; file: string; to: string; reason: string }[];
  version: string;
}

/**
 * The config `archfit init` writes: TypeScript (typed by defineConfig, loaded through jiti), a
 * comment on every inferred part saying where it came from, so a reader can judge each line.
 */
export function renderConfig({ inference, dependencies, observed, exemptions, version }: RenderInput): string {
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
    '  // Which module may import which. `declared` ones come from package.json; `observed` ones',
    '  // are what the code imports today without declaring it. Delete an entry to forbid it: the',
    '  // imports it covers become violations (recorded in the baseline until fixed).',
    '  dependencies: {',
  );
  for (const m of withDeps) {
    const seen = observed[m.name] ?? [];
    const declared = dependencies[m.name]!.filter((d) => !seen.includes(d));
    const why = [declared.length ? `declared: ${declared.join(', ')}` : '', seen.length ? `observed: ${seen.join(', ')}` : ''].filter(Boolean).join('; ');
    lines.push(`    '${m.name}': ${list(dependencies[m.name]!)}, // ${why}`);
  }
  lines.push('  },');
  if (exemptions.length) {
    lines.push('  // Packages whose exports map a wildcard subpath publish every file it reaches.', '  exemptions: [');
    for (const e of exemptions) lines.push(`    { rule: '${e.rule}', file: '${e.file}', to: '${e.to}', reason: ${JSON.stringify(e.reason)} },`);
    lines.push('  ],');
  }
  const tagged = inference.modules.filter((m) => m.tags?.length);
  if (tagged.length) {
    lines.push('  // Tags copied from Nx project.json.', '  tags: {');
    for (const m of tagged) lines.push(`    '${m.name}': ${list(m.tags!)},`);
    lines.push('  },');
  }
  lines.push('});', '');
  return lines.join('\n');
}
