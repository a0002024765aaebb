import { defineConfig } from 'archfit';

/**
 * The module map of the reference app (see CONTRIBUTING.md). `archfit check` enforces it and
 * `dependency-cruiser.cjs` is generated from it, so this file is the one source of truth.
 */
export default defineConfig({
  // The app's production code; tests may reach into internals on purpose.
  include: ['reference-app/src/**/*.{ts,mts,cts}'],
  tsconfig: ['reference-app/tsconfig.json'],
  modules: [{ glob: 'reference-app/src/modules/*', publicEntries: ['index.ts'] }],
  // Cross-module dependencies the map allows; everything else is a violation.
  dependencies: {
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
