import type { ServiceDeclaration, ServiceDeclarations } from './declaration.js';

/** One problem found in the catalog, naming the service and the field so the fix is obvious. */
export interface CatalogIssue {
  service: string;
  field: string;
  message: string;
}

/** Thrown at start-up: the app refuses to boot rather than fail on the first call hours later. */
export class CatalogConfigError extends Error {
  constructor(readonly issues: readonly CatalogIssue[]) {
    super(
      `Service catalog is invalid; the app will not start:\n` +
        issues.map((i) => `  - service "${i.service}", ${i.field}: ${i.message}`).join('\n'),
    );
    this.name = 'CatalogConfigError';
  }
}

/** The runtime settings of an active service, read from its two environment variables. */
export interface ResolvedService {
  slug: string;
  baseUrl: URL;
  token: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Which services are active. A service is active when some feature needs it in the current
 * configuration (`required`, e.g. the assistant in `service` execution mode) or when its base
 * URL is set anyway. Inactive services are not validated against the environment, so a fresh
 * machine starts with no extracted service running.
 */
export function activeSlugs(declarations: ServiceDeclarations, env: Env, required: readonly string[]): Set<string> {
  const active = new Set<string>();
  for (const s of declarations) {
    if (required.includes(s.slug) || (env[s.baseUrlEnvVar] ?? '') !== '') active.add(s.slug);
  }
  return active;
}

function checkDeclaration(s: ServiceDeclaration, issues: CatalogIssue[]): void {
  const seen = new Set<string>();
  for (const [i, e] of s.endpoints.entries()) {
    if (seen.has(e.name)) {
      issues.push({ service: s.slug, field: `endpoints[${i}].name`, message: `endpoint name "${e.name}" is used twice` });
    }
    seen.add(e.name);
    if (!e.path.startsWith('/')) {
      issues.push({ service: s.slug, field: `endpoints[${i}].path`, message: `path "${e.path}" must start with "/"` });
    }
    if (!(e.timeoutMs > 0)) {
      issues.push({ service: s.slug, field: `endpoints[${i}].timeoutMs`, message: `must be > 0, got ${e.timeoutMs}` });
    }
  }
  if (s.aiTokenEnvVar !== undefined) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(s.aiTokenEnvVar)) {
      issues.push({ service: s.slug, field: 'aiTokenEnvVar', message: `"${s.aiTokenEnvVar}" is not an environment variable name` });
    } else if (s.aiTokenEnvVar === s.tokenEnvVar) {
      issues.push({ service: s.slug, field: 'aiTokenEnvVar', message: `must differ from tokenEnvVar (${s.tokenEnvVar}): one credential per purpose` });
    }
  }
  for (const [i, t] of s.aiTasks.entries()) {
    if (!seen.has(t.endpoint)) {
      issues.push({ service: s.slug, field: `aiTasks[${i}].endpoint`, message: `"${t.endpoint}" is not a declared endpoint` });
    }
  }
  const { intervalSeconds, degradedAfterSeconds, downAfterSeconds } = s.health;
  if (!(intervalSeconds > 0)) {
    issues.push({ service: s.slug, field: 'health.intervalSeconds', message: `must be > 0, got ${intervalSeconds}` });
  }
  if (!(degradedAfterSeconds >= intervalSeconds)) {
    issues.push({
      service: s.slug,
      field: 'health.degradedAfterSeconds',
      message: `must be >= intervalSeconds (${intervalSeconds}), got ${degradedAfterSeconds}`,
    });
  }
  if (!(downAfterSeconds > degradedAfterSeconds)) {
    issues.push({
      service: s.slug,
      field: 'health.downAfterSeconds',
      message: `must be > degradedAfterSeconds (${degradedAfterSeconds}), got ${downAfterSeconds}`,
    });
  }
}

function resolveEnv(s: ServiceDeclaration, env: Env, issues: CatalogIssue[]): ResolvedService | undefined {
  const rawUrl = env[s.baseUrlEnvVar] ?? '';
  const token = env[s.tokenEnvVar] ?? '';
  let baseUrl: URL | undefined;
  if (rawUrl === '') {
    issues.push({ service: s.slug, field: 'baseUrlEnvVar', message: `environment variable ${s.baseUrlEnvVar} is not set` });
  } else {
    try {
      baseUrl = new URL(rawUrl);
      if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
        issues.push({
          service: s.slug,
          field: 'baseUrlEnvVar',
          message: `${s.baseUrlEnvVar}="${rawUrl}" must be an http:// or https:// URL`,
        });
        baseUrl = undefined;
      }
    } catch {
      issues.push({ service: s.slug, field: 'baseUrlEnvVar', message: `${s.baseUrlEnvVar}="${rawUrl}" is not a valid URL` });
    }
  }
  if (token === '') {
    issues.push({ service: s.slug, field: 'tokenEnvVar', message: `environment variable ${s.tokenEnvVar} is not set` });
  }
  return baseUrl && token !== '' ? { slug: s.slug, baseUrl, token } : undefined;
}

/**
 * Checks every declaration (duplicate slugs and endpoint names, health thresholds, paths) and
 * reads the environment of every active service. Throws one CatalogConfigError listing every
 * issue, so a misconfigured deploy is fixed in one round, not one variable at a time.
 */
export function validateCatalog(
  declarations: ServiceDeclarations,
  env: Env,
  active: ReadonlySet<string>,
): Map<string, ResolvedService> {
  const issues: CatalogIssue[] = [];
  const slugs = new Set<string>();
  for (const s of declarations) {
    if (slugs.has(s.slug)) issues.push({ service: s.slug, field: 'slug', message: `slug "${s.slug}" is declared twice` });
    slugs.add(s.slug);
    checkDeclaration(s, issues);
  }
  for (const slug of active) {
    if (!slugs.has(slug)) issues.push({ service: slug, field: 'slug', message: 'required by a feature but not declared' });
  }
  const resolved = new Map<string, ResolvedService>();
  for (const s of declarations) {
    if (!active.has(s.slug)) continue;
    const r = resolveEnv(s, env, issues);
    if (r) resolved.set(s.slug, r);
  }
  if (issues.length > 0) throw new CatalogConfigError(issues);
  return resolved;
}
