/** The service catalog: the shared kernel's one way to call an extracted service. */
export { services, type Services } from './services.js';
export type { ServiceDeclaration, ServiceDeclarations, EndpointDeclaration, HealthCadence } from './declaration.js';
export {
  createServiceCatalog,
  type ServiceCatalog,
  type ServiceClient,
  type ServiceOverview,
  type CatalogOptions,
  type AiTaskRouting,
  type FeatureAvailability,
  type FeatureState,
} from './catalog.js';
export { CatalogConfigError, activeSlugs, validateCatalog, type CatalogIssue, type Env } from './validate.js';
export { ServiceUnavailableError, ServiceRejectedError, ServiceContractError } from './errors.js';
export type { HealthState, HealthSnapshot } from './health.js';
export type { SlugOf, EndpointNameOf, BodyOf, ResponseOf } from './types.js';
export * from './models-contract.js';
export { serviceGate, sendServiceUnavailable, replyToServiceError } from './gating.js';
