import type { ResolvedConfig } from '../config/types.js';
import type { ModuleTags } from './repository.js';

/** What trigger evaluation needs from the archfit config. */
export interface TriggerSettings {
  root: string;
  adrDir: string;
  resultsDir: string;
  scenariosDir: string;
  evidenceMaxAgeDays: number;
  modules: ModuleTags[];
  /** The availability the app as a whole promises (default 99.9); `slo:` tags above it count as own SLOs. */
  appSlo?: number;
  /** Repo-relative export file per observed measurement (config `triggers.observed`). */
  observed?: Record<string, string>;
  /** For tests: the moment taken as now. */
  now?: Date;
}

export function triggerSettingsFromConfig(config: ResolvedConfig): TriggerSettings {
  return {
    root: config.root,
    adrDir: config.adr.dir,
    resultsDir: config.load.results,
    scenariosDir: config.load.scenarios,
    evidenceMaxAgeDays: config.triggers.evidenceMaxAgeDays,
    modules: config.modules.map((m) => ({ name: m.name, tags: m.tags })),
    observed: config.triggers.observed,
  };
}
