import { defineConfig } from 'archfit';

/**
 * The module map of the reference app (see CONTRIBUTING.md). `archfit check` enforces it and
 * `dependency-cruiser.cjs` is generated from it, so this file is the one source of truth.
 */
/**
 * archfit guards archfit: its own stages are modules, and the allowed dependencies are the
 * pipeline docs/architecture.md draws (config -> graph -> rules -> report; adr and triggers
 * beside them; cli on top). `load` (the @archfit/load package) may use archfit only through
 * its public entry, fitness/src/index.ts, which belongs to no stage: any import of a stage
 * from load is an undeclared dependency.
 */
const STAGE_ENTRY: Record<string, string> = { config: 'index.ts', graph: 'build.ts', rules: 'index.ts', report: 'index.ts', adr: 'index.ts', triggers: 'index.ts', cli: 'main.ts', cache: 'store.ts', site: 'index.ts', init: 'run.ts' };
const TOOL_SOURCES = ['fitness/src/**/*.ts', 'load/runner/**/*.ts', 'load/scenarios/**/*.ts'];
const STAGES = ['config', 'graph', 'rules', 'report', 'adr', 'triggers', 'site', 'init', 'cli', 'cache'] as const;
const TOOL_MODULES = [...STAGES.map((name) => ({ name, root: `fitness/src/${name}`, publicEntries: [STAGE_ENTRY[name]] })), { name: 'load', root: 'load', publicEntries: ['runner/http-mix-cli.ts'] }];
const TOOL_DEPENDENCIES: Record<string, string[]> = {
  config: ['cache'],
  graph: ['config', 'cache'],
  cache: [],
  rules: ['config', 'graph', 'adr', 'triggers', 'cache'],
  report: ['config', 'graph', 'rules'],
  adr: ['config'],
  triggers: ['config', 'adr'],
  // The static site reads every stage's results; only the CLI sits above it.
  site: ['config', 'graph', 'rules', 'report', 'adr', 'triggers', 'cache'],
  // `archfit init` infers a module map, validates it and runs a first check.
  init: ['config', 'graph', 'rules'],
  cli: ['config', 'graph', 'rules', 'report', 'adr', 'triggers', 'site', 'init', 'cache'],
  load: [],
};

export default defineConfig({
  // The app's production code; tests may reach into internals on purpose.
  include: ['reference-app/src/**/*.{ts,mts,cts}', ...TOOL_SOURCES],
  tsconfig: ['reference-app/tsconfig.json', 'fitness/tsconfig.json', 'load/tsconfig.json'],
  modules: [{ glob: 'reference-app/src/modules/*', publicEntries: ['index.ts'] }, ...TOOL_MODULES],
  // Cross-module dependencies the map allows; everything else is a violation.
  dependencies: {
    ...TOOL_DEPENDENCIES,
    orders: ['catalog', 'bidding'],
    bidding: ['catalog'],
    notifications: ['orders', 'bidding', 'identity'],
    assistant: ['catalog'],
  },
  layers: {
    allowed: {
      api: ['application', 'domain', 'infrastructure'],
      infrastructure: ['application', 'domain'],
      application: ['domain'],
      domain: [],
    },
    // The domain is pure: no framework, no driver, no Node I/O.
    packages: { domain: [] },
    private: ['domain', 'infrastructure'],
  },
  sharedKernel: ['reference-app/src/shared'],
  contexts: [
    {
      glob: 'reference-app/src/contexts/*',
      routeFiles: ['reference-app/src/modules/*/api/routes/{context}.ts'],
    },
  ],
  exemptions: [
    {
      rule: 'module-boundary',
      file: 'fitness/src/**',
      reason: 'the stages are folders of one package: they may use each other\'s files in the directions `dependencies` allows; the package\'s public entry for everyone else is fitness/src/index.ts',
    },
    {
      rule: 'unresolved-import',
      file: 'load/runner/{app-process,database,bench-generator}.ts',
      reason: 'the reference-app scenarios and the generator bench use the repository\'s test plumbing (embedded PostgreSQL, a child server); none of it is in the published @archfit/load',
    },
    {
      rule: 'unresolved-import',
      file: 'reference-app/src/modules/assistant/infrastructure/*.ts',
      to: 'reference-app/services/models/engine/index.ts',
      reason: 'the models engine is its own package (docs/extracting-a-service.md); the inline and pool executors load it in-process on purpose, and it imports nothing from the modules',
    },
  ],
  // Every accepted record names the check that fails when it is broken.
  adr: { dir: 'adr', requireConfirmation: true },
  load: { scenarios: 'load/scenarios', results: 'load/results' },
});
