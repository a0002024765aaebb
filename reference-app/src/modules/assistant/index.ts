/** The assistant module's public surface. */
export { createAssistantModule, type AssistantDeps } from './api/module.js';
export {
  assistantConfigFromEnv,
  servicesRequiredBy,
  AssistantConfigError,
  type AssistantConfig,
  type ExecutionMode,
} from './api/config.js';
