import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Generated, GenerateOptions } from './generate.js';

/**
 * The shape that made archfit pass silently on real monorepos (issue 10): npm workspaces, one
 * tsconfig per package under a solution-style root tsconfig, half the packages CommonJS under
 * `module: Node16` (no `"type"`, extensionless relative imports), half ESM under NodeNext, and
 * packages imported through their `exports` map (`@bench/p03`, `@bench/p03/utils`). The
 * archfit config is a `.ts` file that imports `node:fs` to read the packages, as real configs do.
 * node_modules/@bench/* are symlinks to the packages, as `npm install` would leave them, so
 * dependency-cruiser resolves the same imports.
 */
export function generateWorkspaceRepo(opts: GenerateOptions): Generated {
  let s = (opts.seed ?? 7) >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const root = opts.dir;
  let files = 0;
  let imports = 0;
  const write = (rel: string, text: string, counts = true) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
    if (counts) files++;
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  const names = Array.from({ length: opts.modules }, (_, i) => `p${pad(i)}`);
  const perPackage = Math.max(6, Math.floor(opts.files / opts.modules) - 2);
  // A DAG of declared dependencies: each package may use up to three lower-numbered ones.
  const deps: Record<string, string[]> = {};
  names.forEach((n, i) => {
    deps[n] = [i - 1, i - 3, i - 7].filter((j) => j >= 0).map((j) => names[j]!);
  });

  write('package.json', JSON.stringify({ name: 'bench-workspaces', private: true, workspaces: ['packages/*'] }, null, 2), false);
  write('tsconfig.base.json', JSON.stringify({ compilerOptions: { strict: true, composite: true, declaration: true, skipLibCheck: true } }, null, 2), false);
  write('tsconfig.json', JSON.stringify({ files: [], references: names.map((n) => ({ path: `packages/${n}` })) }, null, 2), false);

  let violations = 0;
  let editTarget = '';
  for (const [i, n] of names.entries()) {
    const cjs = i % 2 === 1;
    const ext = cjs ? '' : '.js';
    const dir = `packages/${n}`;
    write(
      `${dir}/package.json`,
      JSON.stringify(
        {
          name: `@bench/${n}`,
          version: '1.0.0',
          ...(cjs ? {} : { type: 'module' }),
          exports: {
            '.': { types: './src/index.ts', default: './dist/index.js' },
            './utils': { types: './src/utils/index.ts', default: './dist/utils/index.js' },
          },
          dependencies: Object.fromEntries(deps[n]!.map((d) => [`@bench/${d}`, '1.0.0'])),
        },
        null,
        2,
      ),
      false,
    );
    const mode = cjs ? 'Node16' : 'NodeNext';
    write(
      `${dir}/tsconfig.json`,
      JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { module: mode, moduleResolution: mode, rootDir: 'src', outDir: 'dist' }, include: ['src'] }, null, 2),
      false,
    );
    mkdirSync(path.join(root, 'node_modules/@bench'), { recursive: true });
    symlinkSync(path.join('..', '..', dir), path.join(root, 'node_modules/@bench', n));

    const features = Array.from({ length: perPackage }, (_, k) => `f${pad(k)}`);
    write(`${dir}/src/utils/index.ts`, `export const ${n}Util = (x: number): number => x * 2;\n`);
    for (const [k, f] of features.entries()) {
      const lines: string[] = [];
      const add = (line: string) => {
        lines.push(line);
        imports++;
      };
      for (let r = 0; r < 2 && k > 0; r++) {
        const sib = features[Math.floor(rand() * k)]!;
        add(`import { ${sib}Value as ${sib}V${r} } from './${sib}${ext}';`);
      }
      const allowed = deps[n]!;
      if (allowed.length && rand() < 0.6) {
        const d = allowed[Math.floor(rand() * allowed.length)]!;
        add(`import { ${d}Entry as ${d}E } from '@bench/${d}';`);
      }
      if (allowed.length && rand() < 0.3) {
        const d = allowed[Math.floor(rand() * allowed.length)]!;
        add(`import { ${d}Util as ${d}U } from '@bench/${d}/utils';`);
      }
      add(`import { createHash as hash${k} } from 'node:crypto';`);
      // Deliberate: a deep relative import into a declared dependency's internals (extensionless
      // in CommonJS packages, the import archfit used to drop) ...
      if (k === 2 && i % 8 === 7) {
        add(`import { f00Value as deep } from '../../${allowed[0]}/src/f00${ext}';`);
        violations++;
      }
      // ... and a package imported without being declared (a lower-numbered one: no cycle).
      if (k === 3 && i % 8 === 5) {
        const undeclared = names[i - 2]!;
        add(`import { ${undeclared}Entry as undeclared } from '@bench/${undeclared}';`);
        violations++;
      }
      const file = `${dir}/src/${f}.ts`;
      if (!editTarget && i === Math.floor(opts.modules / 2) && k === 1) editTarget = file;
      write(file, `${lines.join('\n')}\nexport const ${f}Value = ${k};\nexport function ${f}Use(): string {\n  return [${lines.map((_, j) => String(j)).join(', ')}].join(',') + String(hash${k});\n}\n`);
    }
    write(`${dir}/src/index.ts`, `export { f00Value as ${n}Entry } from './f00${ext}';\nexport { ${n}Util } from './utils/index${ext}';\n`);
    imports += 2;
  }

  // The config reads the packages and their declared dependencies from disk: a `.ts` config
  // that imports node:fs, which archfit must evaluate every run (and not recompile).
  write(
    'archfit.config.ts',
    `import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'archfit';

const packages: string[] = readdirSync(new URL('./packages', import.meta.url)).sort();
const declared = (name: string): string[] => {
  const pkg = JSON.parse(readFileSync(new URL(\`./packages/\${name}/package.json\`, import.meta.url), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).map((d) => d.replace('@bench/', ''));
};

export default defineConfig({
  include: ['packages/*/src/**/*.ts'],
  modules: packages.map((name) => ({ name, root: \`packages/\${name}\`, publicEntries: ['src/index.ts', 'src/utils/index.ts'] })),
  dependencies: Object.fromEntries(packages.map((name) => [name, declared(name)])),
});
`,
    false,
  );
  return { files, imports, deliberateViolations: violations, editTarget };
}
