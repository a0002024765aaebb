import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleCostScenario, RequestTemplate } from '../scenarios/schema.js';

/**
 * Which module a request belongs to: the module owning the route file that registers it. The
 * reference app registers each module's routes in `src/modules/<module>/api/routes/<context>.ts`
 * under the context's prefix `/api/<context>` (the `routeFiles` of archfit.config.ts), as
 * `app.<method>('<path>', ...)`. A scenario route no file registers stops the run before it
 * starts, so a change of that convention fails loudly instead of charging a module wrongly.
 */
export interface AppRoute {
  method: string;
  /** Full path with Fastify parameters, e.g. /api/public/listings/:listingId/auction. */
  path: string;
  module: string;
  /** The route file, relative to the repository root, and the line of the registration. */
  file: string;
  line: number;
}

const MODULES_DIR = 'reference-app/src/modules';
const REGISTRATION = /\b(?:app|scope)\.(get|post|put|patch|delete)\(\s*['`]([^'`]+)['`]/g;

/** Every route the route files register, read as text (no app start). */
export async function appRoutes(root: string): Promise<AppRoute[]> {
  const routes: AppRoute[] = [];
  for (const module of (await readdir(path.join(root, MODULES_DIR))).sort()) {
    const dir = path.join(root, MODULES_DIR, module, 'api/routes');
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
    } catch {
      continue; // a module with no routes
    }
    for (const f of files) {
      const text = await readFile(path.join(dir, f), 'utf8');
      const context = f.slice(0, -3);
      for (const m of text.matchAll(REGISTRATION)) {
        routes.push({
          method: m[1]!.toUpperCase(),
          path: `/api/${context}${m[2] === '/' ? '' : m[2]}`,
          module,
          file: `${MODULES_DIR}/${module}/api/routes/${f}`,
          line: text.slice(0, m.index).split('\n').length,
        });
      }
    }
  }
  return routes;
}

const segments = (p: string) => p.split('?')[0]!.split('/').filter(Boolean);

/**
 * The registered route a template's request hits: same method, same number of segments, each
 * literal equal or the route's segment a parameter; among several, the one with the most
 * literal segments (as Fastify's router prefers static parts).
 */
export function routeOf(template: Pick<RequestTemplate, 'method' | 'path'>, routes: readonly AppRoute[]): AppRoute | undefined {
  const want = segments(template.path);
  let best: { route: AppRoute; literal: number } | undefined;
  for (const route of routes) {
    if (route.method !== template.method) continue;
    const have = segments(route.path);
    if (have.length !== want.length) continue;
    let literal = 0;
    let ok = true;
    for (let i = 0; i < have.length && ok; i++) {
      const param = have[i]!.startsWith(':');
      const placeholder = /^\{[^}]+\}$/.test(want[i]!);
      if (param) continue;
      if (placeholder || have[i] !== want[i]) ok = false;
      else literal++;
    }
    if (ok && (!best || literal > best.literal)) best = { route, literal };
  }
  return best?.route;
}

/** Each template's module, in the templates' order; throws naming every template no route file registers. */
export function attributeRoutes<T extends Pick<RequestTemplate, 'name' | 'method' | 'path'>>(templates: readonly T[], routes: readonly AppRoute[]): Array<{ template: T; route: AppRoute }> {
  const out = templates.map((template) => ({ template, route: routeOf(template, routes) }));
  const missing = out.filter((o) => !o.route).map((o) => `${o.template.name} (${o.template.method} ${o.template.path})`);
  if (missing.length) throw new Error(`no route file under ${MODULES_DIR}/*/api/routes/ registers ${missing.join(', ')}: the request cannot be charged to a module`);
  return out as Array<{ template: T; route: AppRoute }>;
}

/** Modules in the order their first template appears, each with its templates. */
export function byModule<T>(attributed: ReadonlyArray<{ template: T; route: AppRoute }>): Array<{ module: string; templates: T[] }> {
  const groups = new Map<string, T[]>();
  for (const { template, route } of attributed) groups.set(route.module, [...(groups.get(route.module) ?? []), template]);
  return [...groups].map(([module, templates]) => ({ module, templates }));
}

/** The archfit checkout holding the reference app (from source or from a build folder). */
export function checkoutRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, MODULES_DIR))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`module-cost runs against the reference app: no ${MODULES_DIR} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Modules and their templates in run order, each at its rate, honouring a profile's subset (both runners plan with it). */
export async function modulePlan(def: ModuleCostScenario, profile: ModuleCostScenario['profiles']['full'], root = checkoutRoot()): Promise<Array<{ module: string; templates: RequestTemplate[]; rate: number }>> {
  const groups = byModule(attributeRoutes(def.routes, await appRoutes(root)));
  const unknown = (profile.modules ?? []).filter((m) => !groups.some((g) => g.module === m));
  if (unknown.length) throw new Error(`${def.id}: the profile names ${unknown.join(', ')}, which no route of the scenario reaches (modules: ${groups.map((g) => g.module).join(', ')})`);
  return groups.filter((g) => !profile.modules || profile.modules.includes(g.module)).map((g) => ({ ...g, rate: profile.moduleRates?.[g.module] ?? profile.rate }));
}
