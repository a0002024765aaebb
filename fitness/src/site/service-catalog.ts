import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isObject, isRecord, literalValue, num, str, unwrap, type LiteralValue } from './literal.js';

export interface ServiceEndpointFact {
  name: string;
  method: string;
  path: string;
  idempotent: boolean | undefined;
  timeoutMs: number | undefined;
}

export interface ServiceFact {
  slug: string;
  displayName: string;
  baseUrlEnvVar: string | undefined;
  tokenEnvVar: string | undefined;
  health: { intervalSeconds?: number; degradedAfterSeconds?: number; downAfterSeconds?: number } | undefined;
  aiTasks: Array<{ id: string; shape: string; label: string }>;
  endpoints: ServiceEndpointFact[];
}

export interface ServiceCatalogFacts {
  /** Repo-relative file declaring the catalog. */
  file: string;
  /** The exported constant (`services`). */
  constant: string;
  services: ServiceFact[];
}

/** What the running app said about its services when the site was built. */
export interface LiveHealth {
  url: string;
  /** `GET /health` of the app itself: `ok`, or why it failed. */
  app: string;
  /** Per service slug: its state (`up`, `degraded`, `down`, `inactive`) or why none could be read. */
  services: Record<string, string>;
  /** Set when the admin view could not be read (no token, refused, unreachable). */
  problem?: string;
}

const s = (v: LiteralValue | undefined): string => str(v) ?? (isRecord(v) && typeof v.ref === 'string' ? v.ref : '');

function toService(v: LiteralValue): ServiceFact | undefined {
  if (!isRecord(v) || typeof v.slug !== 'string' || !Array.isArray(v.endpoints)) return undefined;
  const health = isRecord(v.health) ? v.health : undefined;
  return {
    slug: v.slug,
    displayName: str(v.displayName) ?? v.slug,
    baseUrlEnvVar: str(v.baseUrlEnvVar),
    tokenEnvVar: str(v.tokenEnvVar),
    health: health
      ? { ...(num(health.intervalSeconds) !== undefined ? { intervalSeconds: num(health.intervalSeconds)! } : {}), ...(num(health.degradedAfterSeconds) !== undefined ? { degradedAfterSeconds: num(health.degradedAfterSeconds)! } : {}), ...(num(health.downAfterSeconds) !== undefined ? { downAfterSeconds: num(health.downAfterSeconds)! } : {}) }
      : undefined,
    aiTasks: (Array.isArray(v.aiTasks) ? v.aiTasks : []).filter(isObject).map((t) => ({ id: s(t.id), shape: s(t.shape), label: s(t.label) })),
    endpoints: v.endpoints.filter(isObject).map((e) => ({
      name: s(e.name),
      method: s(e.method),
      path: s(e.path),
      idempotent: typeof e.idempotent === 'boolean' ? e.idempotent : undefined,
      timeoutMs: num(e.timeoutMs),
    })),
  };
}

async function catalogIn(file: string, text: string): Promise<ServiceCatalogFacts | null> {
  const { Project, Node } = await import('ts-morph');
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: true, noLib: true } });
  const sf = project.createSourceFile(file, text);
  for (const st of sf.getVariableStatements()) {
    if (!st.isExported()) continue;
    for (const d of st.getDeclarations()) {
      const init = unwrap(d.getInitializer());
      if (!init || !Node.isArrayLiteralExpression(init) || init.getElements().length === 0) continue;
      const services = (literalValue(init) as LiteralValue[]).map(toService);
      if (services.every((x): x is ServiceFact => x !== undefined)) {
        return { file, constant: d.getName(), services: services.sort((a, b) => a.slug.localeCompare(b.slug)) };
      }
    }
  }
  return null;
}

/**
 * Finds the catalog of extracted services in the scanned files without running them: an
 * exported constant holding an array of `{ slug, endpoints, … }` literals (the shape of the
 * reference app's `services.ts`). The first file that has one wins (files are sorted). A file
 * is parsed only when its text mentions both keys, and the answer is cached by its content hash.
 */
export async function findServiceCatalog(root: string, hashes: ReadonlyMap<string, string>, cacheDir?: string): Promise<ServiceCatalogFacts | undefined> {
  const { RuleCache } = await import('../cache/rule-cache.js');
  const cache = RuleCache.for<ServiceCatalogFacts | null>(cacheDir, 'site-services');
  let found: ServiceCatalogFacts | undefined;
  for (const file of [...hashes.keys()].sort()) {
    const text = await readFile(path.join(root, file), 'utf8').catch(() => '');
    if (!text.includes('slug') || !text.includes('endpoints') || !/export\s+const/.test(text)) continue;
    const facts = await cache.get(file, `1:${hashes.get(file) ?? ''}`, () => catalogIn(file, text));
    if (facts) {
      found = facts;
      break;
    }
  }
  cache.save();
  return found;
}

async function getJson(url: string, token: string | undefined): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  try {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status}` };
    return { ok: true, body: await res.json() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Asks the running app, at build time (the site itself never goes to the network): its own
 * `/health`, then the admin services view (`/api/admin/services`, which needs an admin token)
 * for each service's health state.
 */
export async function fetchLiveHealth(appUrl: string, catalog: ServiceCatalogFacts, token?: string): Promise<LiveHealth> {
  const base = appUrl.replace(/\/+$/, '');
  const health = await getJson(`${base}/health`, undefined);
  const app = health.ok ? (isRecord(health.body) && typeof health.body.status === 'string' ? health.body.status : 'answered') : health.reason;
  const services: Record<string, string> = {};
  const view = await getJson(`${base}/api/admin/services?logs=false`, token);
  let problem: string | undefined;
  if (view.ok && isRecord(view.body) && Array.isArray(view.body.services)) {
    for (const item of view.body.services) {
      if (!isRecord(item) || typeof item.slug !== 'string') continue;
      const h = isRecord(item.health) ? item.health : undefined;
      services[item.slug] = item.active === false ? 'inactive' : typeof h?.state === 'string' ? h.state : 'unknown';
    }
  } else {
    problem = `the admin services view could not be read (${view.ok ? 'unexpected body' : view.reason}${token ? '' : '; pass --app-token with an admin token'})`;
  }
  for (const svc of catalog.services) services[svc.slug] ??= 'not reported';
  return { url: base, app, services, ...(problem ? { problem } : {}) };
}
