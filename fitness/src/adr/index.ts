// The ADR library: what `archfit adr` and the adr-valid rule are built on, exported for tests
// and for other tools (the triggers evaluator reads the same records and schema).
export { acceptedRecordChanges, adrNamesOnRef, checkAcceptedUnchanged, checkAgainstRef, GitRefError } from './against.js';
export { INDEX_FILE, loadAdrCollection, type AdrCollection } from './collection.js';
export { AdrCreateError, createAdr, type CreateAdrOptions, type CreatedAdr } from './create.js';
export { EditorError, openInEditor } from './editor.js';
export { importAdrTools, type ImportOptions, type ImportResult } from './import.js';
export { initAdrs, NYGARD_TEMPLATE, type InitAdrOptions } from './init.js';
export { headingsOf, loadRecordTemplate, MADR_REQUIRED_SECTIONS, NYGARD_SECTIONS, TEMPLATE_FILE, type RecordTemplate } from './template.js';
export { checkRecords, lintAdrs, type AdrFinding, type AdrLintOptions, type AdrLintResult, type CheckContext } from './lint.js';
export { ADR_FILE_PATTERN, AdrReadError, formatNumber, parseAdr, readAdr, slugify, type AdrRecord } from './parse.js';
export { resolveAdrPaths, type AdrPaths } from './paths.js';
export { knownRuleIds, loadScenarioRefs, ScenarioReadError, STABLE_RULE_IDS, type ScenarioRefs } from './references.js';
export * from './schema.js';
export { renderGraph, renderIndex, renderList, summarize, type AdrSummary } from './views.js';
