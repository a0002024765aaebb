import { historyChart } from '../history-chart.js';
import { badge, esc, fmt, join, table } from '../html.js';
import type { TriggersPage, TriggerView } from '../triggers-page.js';

function revisitLine(t: TriggerView): string {
  if (!t.revisit) return '';
  if (t.revisit.records.length === 0) {
    return `<p><strong>Fired, and no record revisits ${esc(t.adrLabel)} for it.</strong> Draft one with <code>archfit adr revisit ${esc(t.id)}</code>.</p>`;
  }
  const links = t.revisit.records.map((r) => `<a href="${esc(r.href)}">${esc(r.label)} ${esc(r.title)}</a> ${badge(r.status)}`).join(', ');
  const notes = t.revisit.notes.length ? `<ul>${t.revisit.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  return `<p>Revisited by ${links}${t.revisit.answered ? '' : ' — <strong>archfit does not count this as an answer</strong> (see <code>archfit check</code>, rule revisit-required)'}.</p>${notes}`;
}

function triggerSection(t: TriggerView): string {
  const chart = historyChart(t);
  const history = t.history.map((p) => [`<a href="${esc(p.href)}">${esc(p.file)}</a>`, esc(p.at), p.value === null ? '–' : esc(`${fmt(p.value)} ${t.unit}`), p.fires === null ? '–' : p.fires ? badge('fires') : 'no', esc(p.note)]);
  return join([
    `<section id="${esc(t.anchor)}" class="trigger st-${esc(t.status)}" aria-labelledby="${esc(t.anchor)}-h">`,
    `<h2 id="${esc(t.anchor)}-h">${esc(t.id)} ${badge(t.status)}</h2>`,
    t.description ? `<p>${esc(t.description)}</p>` : '',
    `<p>Declared by ${t.adrHref ? `<a href="${esc(t.adrHref)}">${esc(t.adrLabel)}</a>` : esc(t.adrLabel)} · source ${esc(t.source)}${t.sustain ? ` · sustained for ${esc(t.sustain)}` : ''}</p>`,
    `<p class="measure">Fires when <code>${esc(t.metric)} ${esc(t.comparator)} ${esc(fmt(t.threshold))} ${esc(t.unit)}</code>. Value now: <strong>${t.value === null ? 'none' : esc(`${fmt(t.value)} ${t.unit}`)}</strong>.</p>`,
    `<p>Decided by: ${t.evidence === null ? 'no evidence' : t.evidenceHref ? `<a href="${esc(t.evidenceHref)}">${esc(t.evidence)}</a>` : `<code>${esc(t.evidence)}</code>`}. ${esc(t.reason)}.</p>`,
    t.extra.length ? `<dl>${t.extra.map((x) => `<dt>${esc(x.key)}</dt><dd><code>${esc(x.value)}</code></dd>`).join('')}</dl>` : '',
    revisitLine(t),
    t.indicative.length
      ? `<p>Newer runs that may not decide it (indicative only):</p><ul>${t.indicative.map((x) => `<li><a href="${esc(x.href)}">${esc(x.file)}</a>: ${esc(x.value === null ? 'no value' : `${fmt(x.value)} ${t.unit}`)} (${esc(x.reasons.join('; '))})</li>`).join('')}</ul>`
      : '',
    chart ? `<figure>${chart}<figcaption>History of <code>${esc(t.metric)}</code> across every evidence file, threshold dashed; red points fire.</figcaption></figure>` : '',
    t.history.length
      ? table(`Every evidence file for ${t.id}, oldest first`, ['evidence', 'finished', 'value', 'fires', 'note'], history)
      : `<p class="muted">${t.source.startsWith('scenario') ? 'No evidence file for this scenario yet: run the scenario to start its history.' : `Measured from the ${esc(t.source)} source when the site was built; there is no evidence-file history of it.`}</p>`,
    '</section>',
  ]);
}

export function renderTriggers(page: TriggersPage): string {
  const problems = page.problems.length ? `<h2>Problems reading the triggers</h2><ul>${page.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '';
  if (page.empty) return join(['<h1>Triggers</h1>', `<p class="empty">${esc(page.empty)}</p>`, problems]);
  const counts = table(
    'Triggers by state',
    ['state', 'count'],
    page.counts.map((c) => [badge(c.status), String(c.count)]),
  );
  const rows = page.triggers.map((t) => [
    `<a href="#${esc(t.anchor)}">${esc(t.id)}</a>`,
    badge(t.status),
    esc(t.value === null ? '–' : `${fmt(t.value)}`),
    esc(`${t.comparator} ${fmt(t.threshold)} ${t.unit}`),
    t.evidenceHref ? `<a href="${esc(t.evidenceHref)}">${esc(t.evidence)}</a>` : esc(t.evidence ?? '–'),
  ]);
  return join([
    '<h1>Triggers</h1>',
    '<p>Every revisit trigger declared in the decision records, evaluated against the newest evidence (as <code>archfit triggers</code> does).</p>',
    counts,
    table('Every trigger: value against threshold, and the evidence that decided it', ['trigger', 'state', 'value', 'fires when', 'evidence'], rows),
    problems,
    ...page.triggers.map(triggerSection),
  ]);
}
