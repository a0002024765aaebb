import { readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { RuleCache } from '../cache/rule-cache.js';
import type { RouteRegistration } from './route-registrations.js';
import type { Rule, Violation } from './types.js';

/** Bump when the extraction changes, so cached registrations are recomputed. */
const EXTRACTION_VERSION = '2';

/**
 * Every Fastify route registration declares a literal `config.auth.context` naming a declared
 * context and a non-empty `permission`, and lives in that context's folder or route files.
 * ts-morph parses only files that look like they register routes, one at a time, and the
 * registrations found are cached per content hash.
 */
export const routeDeclaresAuth: Rule = {
  id: 'route-declares-auth',
  severity: 'error',
  why: 'A route without a declared auth context and permission is public by accident; one filed under the wrong context is guarded by the wrong audience.',
  fix: "Add `config: { auth: { context: '<context>', permission: '<resource:action>' } }` to the route options as literals, and register it from the context's folder or its route file (e.g. modules/<m>/api/routes/<context>.ts).",
  async check(ctx) {
    const contexts = new Map(ctx.config.contexts.map((c) => [c.name, picomatch(c.routeFiles, { dot: true })]));
    if (contexts.size === 0) return [];
    const cache = RuleCache.for<RouteRegistration[]>(ctx.cacheDir, routeDeclaresAuth.id);
    let project: import('ts-morph').Project | undefined;
    let find: typeof import('./route-registrations.js') | undefined;
    const out: Violation[] = [];
    const files = [...ctx.graph.files.keys()].filter((f) => !ctx.focus || ctx.focus.has(f));
    for (const file of files) {
      const hash = ctx.graph.hashes.get(file) ?? '';
      const regs = await cache.get(file, `${EXTRACTION_VERSION}:${hash}`, async () => {
        find ??= await import('./route-registrations.js');
        // A file deleted since the graph was built registers nothing.
        const text = await readFile(path.join(ctx.root, file), 'utf8').catch(() => '');
        if (!find.mayRegisterRoutes(text)) return [];
        if (!project) {
          const { Project } = await import('ts-morph');
          project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: true, noLib: true } });
        }
        return find.findRouteRegistrations(project, file, text);
      });
      for (const reg of regs) {
        const problem = judge(reg, file, contexts);
        if (!problem) continue;
        const atContext = problem.atContext;
        out.push({
          rule: routeDeclaresAuth.id,
          severity: routeDeclaresAuth.severity,
          file,
          line: atContext ? reg.contextLine : reg.line,
          column: atContext ? reg.contextColumn : reg.column,
          message: `route ${reg.route}: ${problem.message}`,
          why: routeDeclaresAuth.why,
          fix: routeDeclaresAuth.fix,
          ...(typeof reg.context === 'string' ? { to: reg.context } : {}),
        });
      }
    }
    cache.save();
    return out;
  },
};

function judge(
  reg: RouteRegistration,
  file: string,
  contexts: Map<string, (f: string) => boolean>,
): { message: string; atContext: boolean } | undefined {
  if (reg.opaque) return { message: `${reg.opaque}; write config.auth inline so it can be checked`, atContext: false };
  if (reg.context === null) return { message: 'declares no config.auth.context', atContext: false };
  if (typeof reg.context !== 'string') {
    return { message: `config.auth.context is ${reg.context.expr}, not a string literal`, atContext: true };
  }
  const matches = contexts.get(reg.context);
  if (!matches) {
    return { message: `config.auth.context "${reg.context}" is not a declared context (${[...contexts.keys()].join(', ')})`, atContext: true };
  }
  if (reg.permission === 'missing') return { message: 'declares no config.auth.permission', atContext: true };
  if (reg.permission === 'empty') return { message: 'config.auth.permission is empty', atContext: true };
  if (!matches(file)) {
    return { message: `is a ${reg.context} route but ${file} is neither in the ${reg.context} context folder nor one of its route files`, atContext: true };
  }
  return undefined;
}
