import type { SiteInputs } from './inputs.js';
import type { ServiceFact } from './service-catalog.js';

export interface ServicesPage {
  /** Repo-relative catalog file and the constant that holds it. */
  source: string | undefined;
  services: Array<ServiceFact & { live: string | undefined }>;
  live: { url: string; app: string; problem?: string } | undefined;
  empty?: string;
}

/** The catalog of extracted services, with the live health read at build time when an app URL was given. */
export function buildServicesPage(inputs: SiteInputs): ServicesPage {
  const catalog = inputs.services;
  const live = inputs.live ? { url: inputs.live.url, app: inputs.live.app, ...(inputs.live.problem ? { problem: inputs.live.problem } : {}) } : undefined;
  if (!catalog) {
    return {
      source: undefined,
      services: [],
      live,
      empty: 'No catalog of extracted services found. Declare one as an exported array of `{ slug, displayName, health, aiTasks, endpoints }` literals (the reference app keeps it in src/shared/services/services.ts) and it shows here with its endpoints, AI tasks and health cadence.',
    };
  }
  return {
    source: `${catalog.file} (${catalog.constant})`,
    services: catalog.services.map((s) => ({ ...s, live: inputs.live?.services[s.slug] })),
    live,
  };
}
