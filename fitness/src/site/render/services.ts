import { badge, esc, fmt, join, table } from '../html.js';
import type { ServicesPage } from '../services-page.js';

export function renderServices(page: ServicesPage): string {
  const live = page.live
    ? join([
        `<p>Live health read from <code>${esc(page.live.url)}</code> when this site was built (the page itself makes no request): app <code>/health</code> says ${badge(page.live.app)}.</p>`,
        page.live.problem ? `<p class="empty">${esc(page.live.problem)}</p>` : '',
      ])
    : '<p class="muted">Live health not included: build with <code>archfit site --app-url &lt;url&gt; --app-token &lt;admin token&gt;</code> to read it from a running app.</p>';
  if (page.empty) return join(['<h1>Services</h1>', `<p class="empty">${esc(page.empty)}</p>`, page.live ? live : '']);
  return join([
    '<h1>Services</h1>',
    `<p>The catalog of extracted services, read from <code>${esc(page.source ?? '')}</code> without running it.</p>`,
    live,
    ...page.services.map((s) => {
      const h = s.health;
      return join([
        `<h2 id="service-${esc(s.slug)}">${esc(s.displayName)} <code>${esc(s.slug)}</code>${s.live ? ` ${badge(s.live)}` : ''}</h2>`,
        `<p>Base URL from <code>${esc(s.baseUrlEnvVar ?? '?')}</code>, token from <code>${esc(s.tokenEnvVar ?? '?')}</code>.</p>`,
        `<p>Health cadence: probe every ${esc(fmt(h?.intervalSeconds))} s; degraded after ${esc(fmt(h?.degradedAfterSeconds))} s and down after ${esc(fmt(h?.downAfterSeconds))} s without a successful probe.</p>`,
        table(`Endpoints of ${s.slug}`, ['name', 'method', 'path', 'idempotent (retried)', 'timeout'], s.endpoints.map((e) => [esc(e.name), esc(e.method), `<code>${esc(e.path)}</code>`, e.idempotent === undefined ? '?' : e.idempotent ? 'yes' : 'no', e.timeoutMs === undefined ? '?' : `${fmt(e.timeoutMs)} ms`])),
        s.aiTasks.length ? table(`AI tasks served by ${s.slug}`, ['task', 'shape', 'label'], s.aiTasks.map((t) => [`<code>${esc(t.id)}</code>`, esc(t.shape), esc(t.label)])) : '<p class="muted">No AI tasks.</p>',
      ]);
    }),
  ]);
}
