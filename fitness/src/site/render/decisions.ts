import type { DecisionsPage, DecisionView } from '../decisions-page.js';
import { decisionGraph } from '../decision-graph.js';
import { badge, esc, join, table } from '../html.js';
import { decisionLabel } from '../paths.js';
import { renderMarkdown } from './markdown.js';

/** The decisions page: status counts, the timeline, the link graph and the list of records. */
export function renderDecisions(page: DecisionsPage): string {
  if (page.empty) return `<h1>Decisions</h1>\n<p class="empty">${esc(page.empty)}</p>`;
  const counts = page.statusCounts.map((s) => `${badge(s.status)} ${s.count}`).join(' · ');
  const timeline = page.timeline
    .map((r) => `<li><time datetime="${esc(r.date)}">${esc(r.date || 'no date')}</time><a href="${esc(r.href)}">${esc(`${r.label} ${r.title}`.trim())}</a> ${badge(r.status)}${r.triggers.some((t) => t.status === 'fired') ? ` ${badge('fired')} trigger` : ''}</li>`)
    .join('\n');
  const graph = decisionGraph(page);
  const rows = page.records.map((r) => [
    `<a href="${esc(r.href)}">${esc(r.label || r.fileName)}</a>`,
    esc(r.title),
    badge(r.status),
    esc(r.date),
    esc(r.relations.map((x) => `${x.kind} ${x.targets.map((t) => decisionLabel(t)).join(', ')}`).join('; ')),
    r.triggers.map((t) => `<a href="${esc(t.href)}">${esc(t.id)}</a> ${badge(t.status)}`).join('<br>'),
  ]);
  return join([
    '<h1>Decisions</h1>',
    `<p>${page.records.length} record(s) in <code>${esc(page.dir)}/</code>: ${counts}. Search them with the box at the top of every page.</p>`,
    '<h2>Timeline</h2>',
    `<ol class="timeline" reversed>\n${timeline}\n</ol>`,
    '<h2>How the records link</h2>',
    graph ? `<div class="map">${graph}</div>` : '<p class="muted">No numbered records to draw.</p>',
    page.edges.length ? '' : '<p class="muted">No record supersedes, revisits, amends or clarifies another yet.</p>',
    '<h2>All records</h2>',
    table('Decision records by number', ['No.', 'Title', 'Status', 'Date', 'Links', 'Revisit triggers'], rows),
  ]);
}

/** One record: its front matter made visible (confirmations with their result, triggers with their state), then its body. */
export function renderDecision(r: DecisionView, recordFiles: ReadonlySet<string>, relationHref: (n: number) => string | undefined): string {
  const rel = r.relations.map(
    (x) => `<li>${esc(x.kind)}: ${x.targets.map((t) => (relationHref(t) ? `<a href="${esc(relationHref(t)!)}">${esc(decisionLabel(t))}</a>` : esc(decisionLabel(t)))).join(', ')}</li>`,
  );
  const confirmations = r.confirmations.map((c) => [`<code>${esc(c.ref)}</code>`, esc(c.kind), badge(c.result), esc(c.detail)]);
  const triggers = r.triggers.map((t) => [`<a href="../${esc(t.href)}">${esc(t.id)}</a>`, badge(t.status), esc(t.summary)]);
  const modules = r.modules.map((m) => (m.href ? `<a href="../${esc(m.href)}">${esc(m.name)}</a>` : esc(m.name))).join(', ');
  const fm = join([
    `<section class="fm" aria-labelledby="fm-h"><h2 id="fm-h">Front matter</h2>`,
    `<p>${esc(r.label || r.fileName)} · status ${badge(r.status)} · dated ${esc(r.date || '(no date)')} · file <code>${esc(r.file)}</code></p>`,
    r.modules.length ? `<p>Governs modules: ${modules}</p>` : '',
    rel.length ? `<ul>${rel.join('')}</ul>` : '',
    confirmations.length ? table('Confirmation: what checks this decision, and its current result', ['check', 'kind', 'result', 'detail'], confirmations) : '<p class="muted">No machine confirmation declared (front matter <code>confirmation</code>).</p>',
    triggers.length ? table('Revisit triggers and their current state', ['trigger', 'state', 'measured'], triggers) : '',
    r.criteria.length ? table('Success and rollback criteria against the newest pilot run', ['kind', 'criterion', 'status', 'measured'], r.criteria.map((c) => [esc(c.kind), `<code>${esc(c.id)}</code>`, badge(c.status), esc(c.detail)])) : '',
    r.otherFrontMatter.length ? `<dl>${r.otherFrontMatter.map((o) => `<dt><code>${esc(o.key)}</code></dt><dd><pre><code>${esc(o.yaml)}</code></pre></dd>`).join('')}</dl>` : '',
    '</section>',
  ]);
  const body = renderMarkdown(r.body, recordFiles);
  // The record's own H1 heads the page, above its front matter; a record without one gets its title.
  const h1 = /<h1[^>]*>[\s\S]*?<\/h1>/.exec(body);
  const heading = h1 ? h1[0] : `<h1>${esc(r.title)}</h1>`;
  const rest = h1 ? body.replace(h1[0], '') : body;
  return join([`<p><a href="../decisions.html">All decisions</a></p>`, heading, fm, `<article class="record" aria-label="Record text">${rest}</article>`]);
}
