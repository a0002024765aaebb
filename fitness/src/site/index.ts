// `archfit site`: the architecture as a browsable static site. Page builders are pure functions
// of SiteInputs (see inputs.ts); render/ turns their models into HTML.
export { buildSite, generateSite, SITE_MARKER, type BuiltSite, type SiteOptions, type SiteResult } from './generate.js';
export { collectSiteInputs, readAllEvidence, type CollectOptions, type EvidenceFile, type SiteInputs } from './inputs.js';
export { buildDecisionsPage, confirmationResult, type DecisionsPage, type DecisionView } from './decisions-page.js';
export { buildTriggersPage, orderedStatuses, type TriggersPage, type TriggerView } from './triggers-page.js';
export { buildModulesPage, type ModulesPage, type ModuleView } from './modules-page.js';
export { buildEvidencePage, type EvidencePage } from './evidence-page.js';
export { buildServicesPage, type ServicesPage } from './services-page.js';
