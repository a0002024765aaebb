import type { ModuleGraph } from '../../graph/module-graph.js';
import { toSvg } from '../../report/graph-svg.js';
import { badge, esc, join, table } from '../html.js';
import type { ModulesPage, ModuleView } from '../modules-page.js';
import { moduleHref } from '../paths.js';

/** The library's module map SVG, labelled for assistive technology. */
function mapSvg(graph: ModuleGraph): string {
  const label = `Module map: ${graph.nodes.length} modules, contexts and the shared kernel; ${graph.edges.filter((e) => e.violations.length).length} violating edge(s) in red`;
  return toSvg(graph).replace('<svg ', `<svg role="img" aria-label="${esc(label)}" `);
}

export function renderModules(page: ModulesPage, graph: ModuleGraph | undefined): string {
  if (page.empty || !graph) return `<h1>Modules</h1>\n<p class="empty">${esc(page.empty ?? 'No module map.')}</p>`;
  const edgeRows = [...page.graphEdges]
    .sort((a, b) => b.violations.length - a.violations.length || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .map((e) => [esc(e.from), esc(e.to), String(e.imports), e.typeOnly ? 'yes' : '', e.declared ? 'yes' : badge('not allowed'), e.violations.length ? e.violations.map(badge).join(' ') : '']);
  const moduleRows = page.modules.map((m) => [
    `<a href="${esc(m.href)}">${esc(m.name)}</a>`,
    String(m.files),
    esc(m.dependencies.filter((d) => d.allowed).map((d) => d.to).join(', ') || '–'),
    esc(m.dependencies.filter((d) => d.imports > 0).map((d) => d.to).join(', ') || '–'),
    String(m.published.length),
    String(m.routesByContext.reduce((n, c) => n + c.routes.length, 0)),
    m.violations.length ? badge(`${m.violations.length} new`) : '0',
    String(m.baseline.length),
  ]);
  return join([
    '<h1>Modules</h1>',
    '<p>The module map as <code>archfit check</code> sees it: modules, contexts and the shared kernel; an arrow is an import; red edges violate a rule (new or baseline debt), dashed ones are type-only.</p>',
    `<figure class="map">${mapSvg(graph)}<figcaption>Module map with ${page.violatingEdges.length} violating edge(s).</figcaption></figure>`,
    table('Modules: allowed against actual dependencies', ['module', 'files', 'allowed to depend on', 'depends on', 'events published', 'routes', 'violations', 'baseline debt'], moduleRows),
    table('Edges (violating first)', ['from', 'to', 'imports', 'type-only', 'allowed', 'violations'], edgeRows, 'edges'),
  ]);
}

const list = (items: string[], none: string) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p class="muted">${esc(none)}</p>`);

/** The canvas of one module: what it offers, what it needs, what it owns and what is wrong with it. */
export function renderModule(m: ModuleView): string {
  const deps = m.dependencies.map((d) => [
    d.isModule ? `<a href="../${esc(moduleHref(d.to))}">${esc(d.to)}</a>` : esc(d.to),
    d.allowed ? 'yes' : badge('not allowed'),
    d.imports ? `${d.imports}${d.typeOnly ? ' (type-only)' : ''}` : 'unused',
    d.violations.map(badge).join(' '),
  ]);
  const entries = m.publicEntries.map(
    (e) =>
      `<h3><code>${esc(e.file)}</code>${e.missing ? ` ${badge('missing')}` : ''}</h3>${list(
        e.exports.map((x) => `<code>${esc(x.name)}</code>${x.typeOnly ? ' <span class="muted">(type)</span>' : ''}${x.from ? ` <span class="muted">from ${esc(x.from)}</span>` : ''}`),
        'Exports nothing.',
      )}`,
  );
  const published = m.published.map((e) => [`<code>${esc(e.type)}</code>`, esc(e.version ?? '–'), esc(e.subscribers.join(', ') || 'none'), `<code>${esc(e.file)}:${e.line}</code>`]);
  const consumed = m.consumed.map((e) => [`<code>${esc(e.type)}</code>`, esc(e.publisher ?? '?'), esc(e.via)]);
  const routes = m.routesByContext.map(
    (c) =>
      `<h3>Context ${esc(c.context)}</h3>${table(`Routes of ${m.name} in the ${c.context} context`, ['route', 'permission', 'file'], c.routes.map((r) => [`<code>${esc(r.route)}</code>`, r.permission === 'ok' ? 'declared' : badge(r.permission), `<code>${esc(r.file)}:${r.line}</code>`]))}`,
  );
  const findings = (rows: ModuleView['violations']) => rows.map((v) => [esc(v.rule), `<code>${esc(v.file)}:${v.line}</code>`, esc(v.message)]);
  return join([
    '<p><a href="../modules.html">All modules</a></p>',
    `<h1>Module ${esc(m.name)}</h1>`,
    `<p><code>${esc(m.root)}</code> · ${m.files} files · layers ${esc(m.layers.join(', ') || 'none')}${m.tags.length ? ` · tags ${esc(m.tags.join(', '))}` : ''}</p>`,
    '<h2>Public entry and exported names</h2>',
    entries.length ? entries.join('\n') : '<p class="muted">No public entry declared (config <code>publicEntries</code>).</p>',
    '<h2>Dependencies</h2>',
    deps.length ? table(`Modules ${m.name} may use and does use`, ['module', 'allowed', 'imports', 'violations'], deps) : '<p class="muted">Depends on no other module and is allowed none.</p>',
    `<p>Used by: ${esc(m.dependents.join(', ') || 'nothing')}.</p>`,
    '<h2>Events</h2>',
    '<h3>Published</h3>',
    published.length ? table(`Event contracts ${m.name} publishes`, ['event', 'version', 'subscribers', 'contract'], published) : '<p class="muted">Publishes no event contract (no <code>defineEvent({ type, publisher, subscribers })</code> in its code).</p>',
    '<h3>Consumed</h3>',
    consumed.length ? table(`Events ${m.name} consumes`, ['event', 'publisher', 'seen in'], consumed) : '<p class="muted">Consumes no event: no contract lists it as a subscriber and it subscribes to none.</p>',
    '<h2>Routes by auth context</h2>',
    routes.length ? routes.join('\n') : '<p class="muted">Registers no route.</p>',
    '<h2>Data it owns</h2>',
    m.migrationFiles.length
      ? join([
          `<p>Schemas: ${esc(m.schemas.join(', ') || 'none named')} · from ${m.migrationFiles.length} migration file(s).</p>`,
          table(`Tables created by ${m.name}'s migrations`, ['table', 'migration'], m.tables.map((t) => [`<code>${esc(t.name)}</code>`, `<code>${esc(t.file)}:${t.line}</code>`])),
          m.migrationProblems.length ? list(m.migrationProblems.map(esc), '') : '',
        ])
      : '<p class="muted">No migrations under the module (<code>**/migrations/*.sql</code>), so no tables are known to be its own.</p>',
    '<h2>Decisions that govern it</h2>',
    list(m.decisions.map((d) => `<a href="../${esc(d.href)}">${esc(d.label)} ${esc(d.title)}</a> ${badge(d.status)}`), 'No record names this module in its front matter (modules).'),
    '<h2>Rules that apply</h2>',
    table(`Rules checked on ${m.name}`, ['rule', 'severity', 'new violations', 'baseline debt', 'why'], m.rules.map((r) => [esc(r.id), esc(r.severity), r.violations ? badge(String(r.violations)) : '0', String(r.baseline), esc(r.why)])),
    '<h2>Current violations</h2>',
    m.violations.length ? table(`New violations in ${m.name}`, ['rule', 'where', 'message'], findings(m.violations)) : '<p>None.</p>',
    '<h2>Baseline debt</h2>',
    m.baseline.length ? table(`Violations of ${m.name} recorded in the baseline`, ['rule', 'where', 'message'], findings(m.baseline)) : '<p>None.</p>',
  ]);
}
