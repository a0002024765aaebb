import type { ResolvedConfig } from '../config/types.js';
import { DEFAULT_EVIDENCE_POLICY, type EvidencePolicy } from './policy.js';
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
  /** Which evidence may arm or fire a trigger (config `triggers.evidence`); default DEFAULT_EVIDENCE_POLICY. */
  policy?: EvidencePolicy;
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
    policy: { ...DEFAULT_EVIDENCE_POLICY, ...config.triggers.evidence },
    modules: config.modules.map((m) => ({ name: m.name, tags: m.tags })),
    observed: config.triggers.observed,
  };
}
