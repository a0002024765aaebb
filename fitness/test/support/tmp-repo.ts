import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A throw-away repository made of `files` (path -> content). */
export function makeRepo(files: Record<string, string>): { root: string; write(file: string, text: string): void; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'archfit-test-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  for (const [file, text] of Object.entries(files)) write(file, text);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A writable copy of a fixture project. */
export function copyFixture(name: string): { root: string; write(file: string, text: string): void; cleanup(): void } {
  const repo = makeRepo({});
  cpSync(path.join(fixturesDir, name), repo.root, { recursive: true });
  return repo;
}

/** A small clean two-module repository (no violation). */
export const CLEAN_REPO: Record<string, string> = {
  'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['catalog'] } }),
  'src/modules/catalog/index.ts': "export { findListing } from './find-listing.js';\n",
  'src/modules/catalog/find-listing.ts': 'export function findListing(id: string) { return { id }; }\n',
  'src/modules/orders/index.ts': "import { findListing } from '../catalog/index.js';\nexport const order = findListing('x');\n",
};
