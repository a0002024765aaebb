import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/rules/run.js';
import { makeRepo } from '../support/tmp-repo.js';

/**
 * public-api-leak follows exports with a syntax-only table per file instead of a ts-morph
 * project and checker (cold memory at 10k files, issue 10). The checker stays here as the
 * oracle: on every export form below it must name the same leaks at the same places.
 */
const config = {
  modules: [{ glob: 'src/modules/*' }],
  layers: { allowed: { api: ['application', 'domain', 'infrastructure'], infrastructure: ['application', 'domain'], application: ['domain'], domain: [] } },
};
const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, paths: { '@app/*': ['./src/*'] } }, include: ['src'] };

const files: Record<string, string> = {
  'archfit.config.json': JSON.stringify(config),
  'tsconfig.json': JSON.stringify(tsconfig),
  'package.json': JSON.stringify({ name: 'leaks', type: 'module' }),
  'src/modules/orders/index.ts': [
    "export * from './api/index.js';",
    "export * as model from './domain/model.js';",
    "export { default as Repo } from './infrastructure/repo.js';",
    "import { Money } from './domain/money.js';",
    'export { Money };',
    "export type { Status } from './domain/status.js';",
    "export { OrderDto } from './api/dto.js';",
    "export { helper } from './application/helper.js';",
    "export * from './api/a.js';",
    "export * from './api/b.js';",
    "export * from './api/cycle1.js';",
    "export { Secret } from '@app/modules/orders/domain/secret.js';",
    "import * as ledger from './infrastructure/ledger.js';",
    'export { ledger };',
    'export const VERSION = 1;',
    '',
  ].join('\n'),
  'src/modules/orders/api/index.ts': "export { createOrders } from './service.js';\nexport { Order } from '../domain/order.js';\nexport { Clean } from './clean.js';\n",
  'src/modules/orders/api/service.ts': "import { total } from '../application/helper.js';\nexport function createOrders() { return total(); }\n",
  'src/modules/orders/api/clean.ts': "export { Hidden as Clean } from '../domain/hidden.js';\n",
  'src/modules/orders/api/dto.ts': 'export interface OrderDto { id: string }\n',
  'src/modules/orders/api/a.ts': 'export class Same {}\n',
  'src/modules/orders/api/b.ts': "export { Same, Other } from '../domain/same.js';\n",
  'src/modules/orders/api/cycle1.ts': "export * from './cycle2.js';\nexport const one = 1;\n",
  'src/modules/orders/api/cycle2.ts': "export * from './cycle1.js';\nexport { Deep } from '../domain/deep.js';\n",
  'src/modules/orders/application/helper.ts': "export function helper() { return 1; }\nexport function total() { return 2; }\n",
  'src/modules/orders/domain/model.ts': 'export interface Model { id: string }\n',
  'src/modules/orders/domain/order.ts': 'export class Order {}\n',
  'src/modules/orders/domain/money.ts': 'export type Money = number;\nexport const Money = 0;\n',
  'src/modules/orders/domain/status.ts': "export type Status = 'open' | 'closed';\n",
  'src/modules/orders/domain/hidden.ts': 'export const Hidden = 1;\n',
  'src/modules/orders/domain/same.ts': 'export class Same {}\nexport class Other {}\n',
  'src/modules/orders/domain/deep.ts': 'export const Deep = 1;\n',
  'src/modules/orders/domain/secret.ts': 'export const Secret = 1;\n',
  'src/modules/orders/infrastructure/repo.ts': 'export default class Repo {}\n',
  'src/modules/orders/infrastructure/ledger.ts': 'export const entries = [];\n',
  'src/modules/billing/index.ts': "import { Tax } from './domain/tax.js';\nexport { Invoice as Bill } from './domain/invoice.js';\nexport default Tax;\n",
  'src/modules/billing/domain/tax.ts': 'export class Tax {}\n',
  'src/modules/billing/domain/invoice.ts': 'export interface Invoice { id: string }\n',
  'src/modules/ledger/index.ts': "import { Entry } from './domain/entry.js';\nexport = Entry;\n",
  'src/modules/ledger/domain/entry.ts': 'export class Entry {}\n',
};

const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

interface Found {
  entry: string;
  name: string;
  declaredIn: string;
  line: number;
  column: number;
}

/** The previous implementation, kept as the oracle: ts-morph's getExportedDeclarations on an in-memory project of the module's files. */
function checkerLeaks(root: string, entry: string, moduleFiles: string[]): Found[] {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true, types: [], module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, paths: { '@app/*': [path.join(root, 'src/*')] } },
  });
  for (const f of moduleFiles) project.createSourceFile(path.join(root, f), readFileSync(path.join(root, f), 'utf8'));
  const sf = project.getSourceFileOrThrow(path.join(root, entry));
  const rel = (s: SourceFile) => path.relative(root, s.getFilePath());
  const out: Found[] = [];
  for (const [name, declarations] of sf.getExportedDeclarations()) {
    for (const decl of declarations) {
      const declaredIn = rel(decl.getSourceFile());
      if (!/\/(domain|infrastructure)\//.test(declaredIn)) continue;
      out.push({ entry, name, declaredIn, ...site(sf, name) });
      break;
    }
  }
  return out;
}

function site(sf: SourceFile, name: string): { line: number; column: number } {
  const pos = (n: { getStart(): number }) => sf.getLineAndColumnAtPos(n.getStart());
  for (const ed of sf.getExportDeclarations()) for (const spec of ed.getNamedExports()) if ((spec.getAliasNode()?.getText() ?? spec.getName()) === name) return pos(spec);
  for (const ed of sf.getExportDeclarations()) {
    if (ed.getNamedExports().length > 0) continue;
    const ns = ed.getNamespaceExport();
    if (ns?.getName() === name) return pos(ns);
    if (!ns && ed.getModuleSpecifierSourceFile()?.getExportedDeclarations().has(name)) return pos(ed.getModuleSpecifier() ?? ed);
  }
  const local = sf.getExportedDeclarations().get(name)?.[0];
  if (local && local.getSourceFile() === sf) return pos(local);
  // `export default x` / `export = x` of an imported binding: the statement that exports it.
  const assignment = sf.getExportAssignments().find((a) => (a.isExportEquals() ? 'export=' : 'default') === name);
  if (assignment) return pos(assignment);
  return { line: 1, column: 1 };
}

describe('public-api-leak', () => {
  it('names the same leaks at the same places as the type checker, on every export form', async () => {
    const repo = makeRepo(files);
    repos.push(repo);
    const result = await runCheck({ root: repo.root, cache: false, noBaseline: true, only: ['public-api-leak'] });
    const actual = result.violations.map((v) => {
      const [, name, declaredIn] = /exports "(.*)", declared in (\S+)/.exec(v.message)!;
      return `${v.file}:${v.line}:${v.column} ${name} <- ${declaredIn}`;
    });
    const expected = ['orders', 'billing'].flatMap((m) => {
      const moduleFiles = Object.keys(files).filter((f) => f.startsWith(`src/modules/${m}/`));
      return checkerLeaks(repo.root, `src/modules/${m}/index.ts`, moduleFiles).map((l) => `${l.entry}:${l.line}:${l.column} ${l.name} <- ${l.declaredIn}`);
    });
    // The checker has no answer for `export = x` (getExportedDeclarations lists the target's
    // members, none for a class): the ledger module is asserted on its own below.
    expect(actual.filter((a) => !a.startsWith('src/modules/ledger/')).sort()).toEqual(expected.sort());
    // What the forms above must produce (the checker and the tables agree on all of it).
    expect(actual).toEqual(
      expect.arrayContaining([
        'src/modules/orders/index.ts:1:15 Order <- src/modules/orders/domain/order.ts',
        'src/modules/orders/index.ts:1:15 Clean <- src/modules/orders/domain/hidden.ts',
        'src/modules/orders/index.ts:2:8 model <- src/modules/orders/domain/model.ts',
        'src/modules/orders/index.ts:3:10 Repo <- src/modules/orders/infrastructure/repo.ts',
        'src/modules/orders/index.ts:5:10 Money <- src/modules/orders/domain/money.ts',
        'src/modules/orders/index.ts:6:15 Status <- src/modules/orders/domain/status.ts',
        'src/modules/orders/index.ts:10:15 Other <- src/modules/orders/domain/same.ts',
        'src/modules/orders/index.ts:11:15 Deep <- src/modules/orders/domain/deep.ts',
        'src/modules/orders/index.ts:12:10 Secret <- src/modules/orders/domain/secret.ts',
        'src/modules/orders/index.ts:14:10 ledger <- src/modules/orders/infrastructure/ledger.ts',
        'src/modules/billing/index.ts:3:1 default <- src/modules/billing/domain/tax.ts',
        'src/modules/billing/index.ts:2:10 Bill <- src/modules/billing/domain/invoice.ts',
        'src/modules/ledger/index.ts:2:1 export = <- src/modules/ledger/domain/entry.ts',
      ]),
    );
    // `Same` comes through the first `export *` (api/a.ts), so it is not a leak.
    expect(actual.some((a) => a.includes(' Same '))).toBe(false);
    expect(actual).toHaveLength(13);
  });
});
