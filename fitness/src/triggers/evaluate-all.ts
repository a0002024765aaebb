// evaluateTriggers lives here, not in index.ts, so files inside triggers/ (revisit-draft)
// can call it without importing the folder's own public entry (which re-exports them).
import type { AdrRecord } from '../adr/parse.js';
import { collectTriggers, type DeclaredTrigger } from './declared.js';
import { evaluateRepositoryTrigger, evaluateScenarioTrigger, unknownScenarioTrigger, type TriggerResult } from './evaluate.js';
import { listEvidenceFiles, readEvidence, type EvidenceRead } from './evidence-store.js';
import { evaluateObservedTrigger, observedFile, readObserved } from './observed.js';
import { DEFAULT_EVIDENCE_POLICY, definitionHash } from './policy.js';
import { measureRepository } from './repository.js';
import { attachRevisits } from './revisits.js';
import type { TriggerSettings } from './settings.js';

export interface TriggerReport {
  triggers: TriggerResult[];
  /** Bad input: unreadable ADRs, malformed triggers. Non-empty means exit 2. */
  problems: string[];
  declared: DeclaredTrigger[];
  /** Every ADR read, for the revisit check. */
  records: AdrRecord[];
}

/** Evaluates every revisit trigger in the ADRs against the newest evidence for it. */
export async function evaluateTriggers(settings: TriggerSettings): Promise<TriggerReport> {
  const { triggers: declared, problems, records } = await collectTriggers(settings.root, settings.adrDir);
  const now = settings.now ?? new Date();
  const evidenceCache = new Map<string, Promise<EvidenceRead[]>>();
  const evidenceOf = (scenario: string) => {
    let p = evidenceCache.get(scenario);
    if (!p) {
      p = listEvidenceFiles(settings.root, settings.resultsDir, scenario).then((files) => Promise.all(files.map((f) => readEvidence(settings.root, f))));
      evidenceCache.set(scenario, p);
    }
    return p;
  };
  const results: TriggerResult[] = [];
  for (const d of declared) {
    const { trigger } = d;
    if ('scenario' in trigger.source) {
      const currentHash = await definitionHash(settings.root, settings.scenariosDir, trigger.source.scenario);
      if (currentHash === null) results.push(unknownScenarioTrigger(trigger, d.adr, d.adrFile, settings.scenariosDir));
      else results.push(evaluateScenarioTrigger({ trigger, adr: d.adr, adrFile: d.adrFile, evidence: await evidenceOf(trigger.source.scenario), now, maxAgeDays: settings.evidenceMaxAgeDays, policy: settings.policy ?? DEFAULT_EVIDENCE_POLICY, currentHash }));
    } else if ('observed' in trigger.source) {
      const file = observedFile(settings, trigger.source.observed);
      const fraction = trigger['fraction-of'];
      const reference = fraction ? await evidenceOf(fraction.scenario) : undefined;
      const referenceHash = fraction ? await definitionHash(settings.root, settings.scenariosDir, fraction.scenario) : undefined;
      results.push(evaluateObservedTrigger({ trigger, adr: d.adr, adrFile: d.adrFile, read: await readObserved(settings.root, file), reference, referenceHash, policy: settings.policy ?? DEFAULT_EVIDENCE_POLICY, now, maxAgeDays: settings.evidenceMaxAgeDays }));
    } else {
      const measurement = trigger.source.repository;
      const reading = await measureRepository(measurement, { root: settings.root, modules: settings.modules, ...(settings.appSlo ? { appSlo: settings.appSlo } : {}), now });
      results.push(evaluateRepositoryTrigger({ trigger, adr: d.adr, adrFile: d.adrFile, measurement, reading }));
    }
  }
  await attachRevisits(results, declared, records, (file) => readEvidence(settings.root, file));
  return { triggers: results, problems, declared, records };
}
