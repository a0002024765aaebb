import type { ArchfitConfig } from './schema.js';

/** Identity helper that types an `archfit.config.ts`. */
export function defineConfig(config: ArchfitConfig): ArchfitConfig {
  return config;
}
