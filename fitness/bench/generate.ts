import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A synthetic TypeScript repository shaped like a modular monolith: `modules` modules with
 * four layers each, a shared kernel, tsconfig `paths` aliases (`@app/*`, `@shared/*`),
 * NodeNext-style `.js` specifiers, some `import type`, cross-module imports through public
 * entries along a DAG, and a handful of deliberate violations so both tools have work.
 * Each module owns a PostgreSQL schema named after it: a migration
 * (`infrastructure/migrations/0001-<module>.sql`) and a query string in every infrastructure
 * file, so data-ownership parses SQL too; one query reads another module's schema (a
 * deliberate data-ownership violation, which dependency-cruiser has no rule for).
 */
export interface GenerateOptions {
  dir: string;
  modules: number;
  files: number;
  seed?: number;
}

export interface Generated {
  files: number;
  imports: number;
  deliberateViolations: number;
  /** Deliberate data-ownership violations (SQL across schemas): archfit only. */
  deliberateDataViolations?: number;
  /** `.sql` migrations written (not counted in `files`). */
  migrations?: number;
  /** A file the one-file-changed measurement edits. */
  editTarget: string;
}

const LAYERS = [
  ['domain', 0.3],
  ['application', 0.3],
  ['infrastructure', 0.2],
  ['api', 0.2],
] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const body = (name: string, uses: string[]) => `
/** ${name}: generated for the archfit benchmark. */
export interface ${name}State {
  id: string;
  version: number;
  items: { sku: string; quantity: number; priceCents: number }[];
}

export function ${name.toLowerCase()}Total(state: ${name}State): number {
  let total = 0;
  for (const item of state.items) {
    if (item.quantity <= 0) continue;
    total += item.quantity * item.priceCents;
  }
  return total;
}

export class ${name}Service {
  private readonly seen = new Map<string, number>();
  constructor(private readonly label: string) {}

  record(state: ${name}State): number {
    const total = ${name.toLowerCase()}Total(state);
    this.seen.set(state.id, total);
    return total;
  }

  describe(): string {
    return \`\${this.label}: \${this.seen.size} states, uses \${${JSON.stringify(uses.join(','))}.length} deps\`;
  }
}
`;

const allowedOf = (dependencies: Record<string, string[]>, m: string) => dependencies[m] ?? [];

/** The module's schema: its table, and a foreign key into the first module it may depend on (a cross-schema reference, declared as a read below). */
function migration(m: string, deps: string[]): string {
  return `-- ${m} owns schema ${m}.
CREATE SCHEMA IF NOT EXISTS ${m};
CREATE TABLE ${m}.records (
  id uuid PRIMARY KEY,
  state jsonb NOT NULL,
  version integer NOT NULL DEFAULT 0${deps[0] ? `,
  ${deps[0]}_id uuid REFERENCES ${deps[0]}.records (id)` : ''}
);
CREATE INDEX records_version_idx ON ${m}.records (version);
`;
}

/** An adapter's queries: its own schema, and `foreign`'s table when given. */
function query(m: string, name: string, foreign?: string): string {
  const from = foreign ? `${m}.records r JOIN ${foreign}.records f ON f.id = r.id` : `${m}.records r`;
  return `
interface ${name.toUpperCase()}Db { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }

export async function load${name.toUpperCase()}(db: ${name.toUpperCase()}Db, id: string): Promise<unknown[]> {
  const found = await db.query(\`SELECT r.id, r.state FROM ${from} WHERE r.id = $1\`, [id]);
  await db.query('UPDATE ${m}.records SET version = version + 1 WHERE id = $1', [id]);
  return found.rows;
}
`;
}

export function generateRepo(opts: GenerateOptions): Generated {
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const root = opts.dir;
  let files = 0;
  let imports = 0;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
    files++;
  };

  const sharedCount = Math.max(10, Math.round(opts.files * 0.01));
  const perModule = Math.floor((opts.files - sharedCount) / opts.modules) - 1;
  write('package.json', JSON.stringify({ name: 'bench-repo', private: true, type: 'module' }, null, 2));
  files--;
  write(
    'tsconfig.json',
    JSON.stringify(
      { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, paths: { '@app/*': ['./src/*'], '@shared/*': ['./src/shared/*'] } }, include: ['src'] },
      null,
      2,
    ),
  );
  files--;

  for (let s = 0; s < sharedCount; s++) {
    const deps = s > 0 ? [`./s${pad(Math.floor(rand() * s))}.js`] : [];
    const head = deps.map((d) => `import type { S${d.slice(3, -3)}State } from '${d}';`).join('\n');
    imports += deps.length;
    write(`src/shared/s${pad(s)}.ts`, `${head}\n${body(`S${pad(s)}`, deps)}`);
  }

  const moduleNames = Array.from({ length: opts.modules }, (_, i) => `m${pad(i)}`);
  // A DAG: each module may use up to three lower-numbered modules.
  const dependencies: Record<string, string[]> = {};
  moduleNames.forEach((m, i) => {
    const allowed = [i - 1, i - 2, i - 5].filter((j) => j >= 0).map((j) => moduleNames[j]!);
    if (allowed.length) dependencies[m] = allowed;
  });

  let violations = 0;
  let dataViolations = 0;
  let migrations = 0;
  let editTarget = '';
  for (const [mi, m] of moduleNames.entries()) {
    const counts = LAYERS.map(([, share]) => Math.max(2, Math.round(perModule * share)));
    const names = LAYERS.map(([layer], li) => Array.from({ length: counts[li]! }, (_, k) => `${layer[0]}${pad(k)}`));
    LAYERS.forEach(([layer], li) => {
      names[li]!.forEach((name, k) => {
        const lines: string[] = [];
        const add = (line: string) => {
          lines.push(line);
          imports++;
        };
        const sym = (n: string) => `${n.toUpperCase()}State`;
        // Same-layer siblings (earlier files only: no intra-layer cycles).
        for (let r = 0; r < 2 && k > 0; r++) {
          const sib = names[li]![Math.floor(rand() * k)]!;
          add(`import type { ${sym(sib)} as ${sib}T${r} } from './${sib}.js';`);
        }
        // Inner layers, relative; about a third type-only.
        for (let inner = 0; inner < li; inner++) {
          const target = pick(names[inner]!);
          const type = rand() < 0.35 ? 'type ' : '';
          add(`import ${type}{ ${type ? sym(target) : `${target}Total`} as ${target}U${inner} } from '../${LAYERS[inner]![0]}/${target}.js';`);
        }
        // The shared kernel through an alias.
        const shared = `s${pad(Math.floor(rand() * sharedCount))}`;
        add(`import { ${shared}Total as shared${shared} } from '@shared/${shared}.js';`);
        // Another module's public entry, where the map allows it, through an alias.
        const allowed = dependencies[m];
        if (allowed && layer !== 'domain' && rand() < 0.5) {
          add(`import type * as other${k} from '@app/modules/${pick(allowed)}/index.js';`);
        }
        let sql = '';
        if (layer === 'infrastructure') {
          add(`import { createHash as hash${k} } from 'node:crypto';`);
          // Its own schema; module 5's first adapter also reads module 6's table, which it may not (a deliberate violation).
          const foreign = mi === 5 && k === 0 ? moduleNames[6] : undefined;
          sql = query(m, name, foreign);
          if (foreign) dataViolations++;
        }
        // A few deliberate boundary violations: a deep import into another module.
        if (layer === 'application' && k === 1 && mi % 10 === 9) {
          add(`import type { ${'D00State'} as Deep } from '../../${moduleNames[mi - 1]}/domain/d00.js';`);
          violations++;
        }
        const file = `src/modules/${m}/${layer}/${name}.ts`;
        if (!editTarget && layer === 'application' && mi === Math.floor(opts.modules / 2)) editTarget = file;
        write(file, `${lines.join('\n')}\n${body(name.toUpperCase(), lines.map((_, i) => String(i)))}${sql}`);
      });
    });
    mkdirSync(path.join(root, `src/modules/${m}/infrastructure/migrations`), { recursive: true });
    writeFileSync(path.join(root, `src/modules/${m}/infrastructure/migrations/0001-${m}.sql`), migration(m, allowedOf(dependencies, m)));
    migrations++;
    const apis = names[3]!.slice(0, 3);
    write(`src/modules/${m}/index.ts`, apis.map((a) => `export { ${a.toUpperCase()}Service as ${a}Service } from './api/${a}.js';`).join('\n') + '\n');
    imports += apis.length;
  }

  const config = {
    include: ['src/**/*.ts'],
    modules: [{ glob: 'src/modules/*' }],
    dependencies,
    // Each migration's foreign key into its first allowed dependency is a declared read.
    data: { reads: Object.fromEntries(Object.entries(dependencies).map(([m, deps]) => [m, deps.slice(0, 1)])) },
    sharedKernel: ['src/shared'],
    layers: {
      allowed: { api: ['application', 'domain', 'infrastructure'], infrastructure: ['application', 'domain'], application: ['domain'], domain: [] },
    },
  };
  writeFileSync(path.join(root, 'archfit.config.json'), JSON.stringify(config, null, 2));
  return { files, imports, deliberateViolations: violations, deliberateDataViolations: dataViolations, migrations, editTarget };
}
