import type { ModuleGraphEdge } from '../graph/module-graph.js';
import type { Violation } from '../rules/types.js';
import { isRecord } from './literal.js';
import type { SiteInputs } from './inputs.js';
import type { EventContractFact, ModuleFacts, RouteFact } from './module-facts.js';
import type { TableFact } from './sql-tables.js';
import { decisionHref, decisionLabel, moduleHref } from './paths.js';

export interface DependencyView {
  to: string;
  /** The target is a module with its own page (not a context or the shared kernel). */
  isModule: boolean;
  /** Declared in the module map. */
  allowed: boolean;
  /** Imports exist (absent: allowed but unused). */
  imports: number;
  typeOnly: boolean;
  violations: string[];
}

export interface ConsumedEvent {
  type: string;
  publisher: string | undefined;
  /** `contract` (listed as a subscriber), `subscription` (subscribes in code), or both. */
  via: string;
}

export interface FindingView {
  rule: string;
  file: string;
  line: number;
  message: string;
}

export interface ModuleView {
  name: string;
  href: string;
  root: string;
  tags: string[];
  files: number;
  layers: string[];
  dependencies: DependencyView[];
  /** Modules and contexts that import this one. */
  dependents: string[];
  publicEntries: ModuleFacts['publicEntries'];
  published: EventContractFact[];
  consumed: ConsumedEvent[];
  routesByContext: Array<{ context: string; routes: RouteFact[] }>;
  schemas: string[];
  tables: TableFact[];
  migrationFiles: string[];
  migrationProblems: string[];
  rules: Array<{ id: string; severity: string; why: string; violations: number; baseline: number }>;
  violations: FindingView[];
  baseline: FindingView[];
  decisions: Array<{ label: string; title: string; status: string; href: string }>;
}

export interface ModulesPage {
  /** The module map SVG's data: present when the repository has an archfit config that checked. */
  graphEdges: ModuleGraphEdge[];
  violatingEdges: ModuleGraphEdge[];
  modules: ModuleView[];
  empty?: string;
}

const finding = (v: Violation): FindingView => ({ rule: v.rule, file: v.file, line: v.line, message: v.message });
const byPlace = (a: FindingView, b: FindingView) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);

function consumedBy(name: string, facts: ModuleFacts, all: readonly ModuleFacts[]): ConsumedEvent[] {
  const contracts = all.flatMap((m) => m.events);
  const found = new Map<string, { publisher: string | undefined; via: Set<string> }>();
  const add = (type: string, publisher: string | undefined, via: string) => {
    const e = found.get(type) ?? { publisher, via: new Set<string>() };
    e.via.add(via);
    found.set(type, e);
  };
  for (const c of contracts) if (c.subscribers.includes(name)) add(c.type, c.publisher, 'contract');
  for (const s of facts.subscriptions) {
    const c = contracts.find((x) => (s.constant !== undefined && x.constant === s.constant) || (s.type !== undefined && x.type === s.type));
    add(c?.type ?? s.type ?? `${s.constant}.type (no contract found)`, c?.publisher, 'subscription');
  }
  return [...found.entries()]
    .map(([type, e]) => ({ type, publisher: e.publisher, via: [...e.via].sort().join(' + ') }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** The module map and one canvas per module, from the config, the check and the code facts. */
export function buildModulesPage(inputs: SiteInputs): ModulesPage {
  if (!inputs.config || !inputs.check || !inputs.moduleGraph) {
    const why = inputs.configFile
      ? 'The check could not run (see the problems on the home page), so there is no module map.'
      : 'No archfit config in this repository. Declare modules, their allowed dependencies, layers and contexts in archfit.config.ts (see docs/fitness.md) and the module map and one canvas per module appear here.';
    return { graphEdges: [], violatingEdges: [], modules: [], empty: why };
  }
  const { check, moduleGraph } = inputs;
  const records = inputs.adr.collection?.records ?? [];
  const modules = inputs.modules.map((facts): ModuleView => {
    const inModule = (v: Violation) => v.file.startsWith(`${facts.root}/`);
    const outgoing = moduleGraph.edges.filter((e) => e.from === facts.name);
    const targets = [...new Set([...facts.allowedDependencies, ...outgoing.map((e) => e.to)])].sort();
    const dependencies = targets.map((to): DependencyView => {
      const e = outgoing.find((x) => x.to === to);
      return { to, isModule: inputs.modules.some((x) => x.name === to), allowed: facts.allowedDependencies.includes(to) || (e?.declared ?? false), imports: e?.imports ?? 0, typeOnly: e?.typeOnly ?? false, violations: [...(e?.violations ?? [])].sort() };
    });
    const violations = check.violations.filter(inModule).map(finding).sort(byPlace);
    const baseline = check.baselined.filter(inModule).map(finding).sort(byPlace);
    const contexts = [...new Set(facts.routes.map((r) => r.context ?? '(no context)'))].sort();
    const decisions = records
      .filter((r) => isRecord(r.data) && Array.isArray(r.data.modules) && r.data.modules.includes(facts.name))
      .map((r) => ({ label: decisionLabel(r.number), title: r.title ?? r.fileName, status: isRecord(r.data) && typeof r.data.status === 'string' ? r.data.status : '(none)', href: decisionHref(r.fileName) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return {
      name: facts.name,
      href: moduleHref(facts.name),
      root: facts.root,
      tags: facts.tags,
      files: facts.files,
      layers: facts.layers,
      dependencies,
      dependents: [...new Set(moduleGraph.edges.filter((e) => e.to === facts.name).map((e) => e.from))].sort(),
      publicEntries: facts.publicEntries,
      published: facts.events.filter((e) => e.publisher === undefined || e.publisher === facts.name),
      consumed: consumedBy(facts.name, facts, inputs.modules),
      routesByContext: contexts.map((context) => ({ context, routes: facts.routes.filter((r) => (r.context ?? '(no context)') === context) })),
      schemas: facts.migrations.schemas,
      tables: facts.migrations.tables,
      migrationFiles: facts.migrations.files,
      migrationProblems: facts.migrations.problems,
      rules: check.rules
        .filter((r) => r.enabled)
        .map((r) => ({ id: r.id, severity: r.severity, why: r.why, violations: violations.filter((v) => v.rule === r.id).length, baseline: baseline.filter((v) => v.rule === r.id).length }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      violations,
      baseline,
      decisions,
    };
  });
  const empty = modules.length ? undefined : 'The config declares no modules. Add `modules` (a glob or a list) to the archfit config to get a canvas per module.';
  return {
    graphEdges: moduleGraph.edges,
    violatingEdges: moduleGraph.edges.filter((e) => e.violations.length > 0),
    modules,
    ...(empty ? { empty } : {}),
  };
}
