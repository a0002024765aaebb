export { defineConfig } from './define.js';
export { ConfigError } from './errors.js';
export { CONFIG_FILES, findConfigFile, loadConfig, readConfigFile } from './load.js';
export { validateConfig } from './validate.js';
export { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, normalizeRel, resolveConfig } from './resolve.js';
export { ArchfitConfigSchema, type ArchfitConfig } from './schema.js';
export type * from './types.js';
