import type { EvidencePage, RunView } from '../evidence-page.js';
import { badge, esc, fmt, join, table } from '../html.js';

function run(r: RunView, scenario: string): string {
  const links = [`<a href="${esc(r.jsonHref)}">evidence JSON</a>`, ...r.reports.map((x) => `<a href="${esc(x.href)}">${esc(x.kind)}</a>`)].join(' · ');
  if (!r.ok) return join([`<section id="${esc(r.anchor)}" aria-label="${esc(r.file)}">`, `<h3><code>${esc(r.file)}</code> ${badge('invalid')}</h3>`, `<p>${links}</p>`, `<p>Cannot be used: ${esc(r.reason ?? '')}</p>`, '</section>']);
  const quality = r.quality.map((q) => `<dt>${esc(q.key)}</dt><dd>${esc(q.value)}</dd>`).join('');
  const metrics = r.metrics.map((m) => [`<code>${esc(m.name)}</code>`, esc(fmt(m.value)), esc(m.unit)]);
  const thresholds = r.thresholds.map((t) => [esc(t.id), `<code>${esc(t.metric)}</code>`, esc(`${t.comparator} ${fmt(t.value)} ${t.unit}`), esc(t.actual === null ? 'missing' : fmt(t.actual)), badge(t.verdict)]);
  return join([
    `<section id="${esc(r.anchor)}" class="run" aria-label="${esc(r.file)}">`,
    `<h3><code>${esc(r.file)}</code></h3>`,
    `<p>Finished ${esc(r.finishedAt)} · ${links}</p>`,
    `<div class="cards"><div class="card"><h4>Evidence quality</h4><dl>${quality}</dl></div><div class="card">`,
    thresholds.length ? table(`Thresholds of the ${scenario} run`, ['threshold', 'metric', 'pass when', 'measured', 'verdict'], thresholds) : '<p class="muted">No thresholds.</p>',
    '</div></div>',
    `<details><summary>${r.metrics.length} metric(s) of this run</summary>${table(`Metrics of the ${scenario} run (quality: profile ${r.quality[0]?.value ?? '?'}, load ${r.quality.find((q) => q.key === 'load average at start')?.value ?? '?'})`, ['metric', 'value', 'unit'], metrics)}</details>`,
    r.notes.length ? `<details><summary>Notes of the run</summary><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details>` : '',
    '</section>',
  ]);
}

export function renderEvidence(page: EvidencePage): string {
  if (page.empty) return `<h1>Load evidence</h1>\n<p class="empty">${esc(page.empty)}</p>`;
  const rows = page.scenarios.map((s) => [`<a href="#scenario-${esc(s.scenario)}">${esc(s.scenario)}</a>`, String(s.runs.length), esc(s.runs[0]?.finishedAt ?? '–'), s.definition ? `<code>${esc(s.definition)}</code>` : 'no definition file']);
  return join([
    '<h1>Load evidence</h1>',
    `<p>Every run in <code>${esc(page.resultsDir)}/</code>, newest first per scenario. Each run's quality (profile, machine load, commit, calibration and whatever else it recorded) sits beside its figures; the per-run reports are copied into this site.</p>`,
    table('Scenarios', ['scenario', 'runs', 'newest', 'definition'], rows),
    ...page.scenarios.map((s) => join([`<h2 id="scenario-${esc(s.scenario)}">${esc(s.scenario)}</h2>`, ...s.runs.map((r) => run(r, s.scenario))])),
  ]);
}
