// dependency-cruiser rules generated from archfit.config.ts (the one module map), so
// `npx depcruise --config dependency-cruiser.cjs reference-app/src` and `archfit check` agree
// on every import rule. CommonJS cannot require() an ES module on Node 20.12, so this file
// exports a promise: dependency-cruiser awaits what its config module exports.
// Needs the archfit package built (`npm run build`).
module.exports = import('archfit').then(async ({ loadConfig, toDependencyCruiserConfig }) =>
  toDependencyCruiserConfig(await loadConfig(__dirname)),
);
