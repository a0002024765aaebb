import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The TypeScript compiler API as ts-morph bundles it (one compiler per process). */
export type TsApi = typeof import('ts-morph').ts;

const require = createRequire(import.meta.url);
/** ts-morph's own copy: loading it here and handing it to ts-morph avoids a second compiler. */
const TS_PATH = require.resolve('@ts-morph/common/dist/typescript.js');

let loaded: TsApi | undefined;

/**
 * Loads the compiler once per process. With a cache directory, V8's compiled code for the
 * 9 MB compiler is kept in `<cacheDir>/v8/` and reused: compiling it is most of the cost of
 * re-parsing a single edited file (Node >= 22 can do this itself with
 * `module.enableCompileCache`, which the CLI also turns on; this covers Node 20). The module
 * is registered in the CommonJS cache under its real path, so ts-morph gets this instance.
 */
export function compiler(cacheDir?: string): TsApi {
  if (loaded) return loaded;
  const cached = require.cache[TS_PATH];
  if (cached?.loaded) return (loaded = cached.exports as TsApi);
  if (!cacheDir) return (loaded = require(TS_PATH) as TsApi);
  const source = readFileSync(TS_PATH, 'utf8');
  const stamp = `${process.version}-${process.arch}-${statSync(TS_PATH).size}`;
  const dataFile = path.join(cacheDir, 'v8', `typescript-${stamp}.bin`);
  const cachedData = existsSync(dataFile) ? readFileSync(dataFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: TS_PATH, ...(cachedData ? { cachedData } : {}) });
  const mod = new Module(TS_PATH);
  mod.filename = TS_PATH;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(TS_PATH), mod, TS_PATH, path.dirname(TS_PATH));
  mod.loaded = true;
  require.cache[TS_PATH] = mod;
  if (!cachedData || script.cachedDataRejected) {
    try {
      mkdirSync(path.dirname(dataFile), { recursive: true });
      const tmp = `${dataFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, dataFile);
    } catch {
      // Without the code cache the next run only compiles again.
    }
  }
  return (loaded = mod.exports as TsApi);
}
