import { writeFile } from 'node:fs/promises';
import type { Evidence, EvidenceStep } from './evidence.js';
import { barChartSvg, lineChartSvg, type BarChart, type LineChart } from './svg-chart.js';

type Chart = { kind: 'line'; chart: LineChart } | { kind: 'bar'; chart: BarChart };

const label = (s: EvidenceStep, key: string) => s.labels[key] ?? '?';

function groupBy(steps: EvidenceStep[], key: string): Map<string, EvidenceStep[]> {
  const m = new Map<string, EvidenceStep[]>();
  for (const s of steps) m.set(label(s, key), [...(m.get(label(s, key)) ?? []), s]);
  return m;
}

/** The charts each scenario's evidence is read with. */
export function chartsFor(ev: Evidence): Chart[] {
  const steps = ev.steps;
  if (ev.scenario === 'dau') {
    const search = steps.filter((s) => s.labels.phase === 'search');
    const slo = ev.metrics.slo_p99_ms;
    return [
      {
        kind: 'line',
        chart: {
          title: 'Latency against offered rate (open model)',
          xLabel: 'offered rate (req/s)',
          yLabel: 'latency (ms)',
          series: [
            { name: 'p50', points: search.map((s) => ({ x: s.offeredRate ?? 0, y: s.latency.p50 })) },
            { name: 'p99', points: search.map((s) => ({ x: s.offeredRate ?? 0, y: s.latency.p99 })) },
          ],
          ...(slo ? { reference: { y: slo, label: `SLO p99 ${slo} ms` } } : {}),
        },
      },
      {
        kind: 'line',
        chart: {
          title: 'Achieved against offered rate',
          xLabel: 'offered rate (req/s)',
          yLabel: 'achieved (req/s)',
          series: [
            { name: 'achieved', points: search.map((s) => ({ x: s.offeredRate ?? 0, y: s.achievedRate })) },
            { name: 'offered', points: search.map((s) => ({ x: s.offeredRate ?? 0, y: s.offeredRate ?? 0 })) },
          ],
        },
      },
    ];
  }
  if (ev.scenario === 'write-contention') {
    const open = steps.filter((s) => s.model === 'open');
    const groups = [...groupBy(open, 'strategy')].map(([name, ss]) => ({ name, ss }));
    const bars = (f: (s: EvidenceStep) => number) => groups.map((g) => ({ name: g.name, bars: g.ss.map((s) => ({ name: label(s, 'rows'), value: f(s) })) }));
    const ceiling = steps.filter((s) => s.model === 'closed');
    return [
      { kind: 'bar', chart: { title: 'Successful writes per second, hot row vs uniform rows', yLabel: 'writes/s', groups: bars((s) => s.extra.success_per_s ?? 0) } },
      { kind: 'bar', chart: { title: 'Write p99 latency', yLabel: 'ms', groups: bars((s) => s.latency.p99) } },
      { kind: 'bar', chart: { title: 'Retries and failures per 100 writes', yLabel: 'per 100 writes', groups: bars((s) => Math.round(((s.extra.retries ?? 0) + s.errors.total) * 10000 / Math.max(1, s.requests)) / 100) } },
      ...(ceiling.length
        ? [{ kind: 'bar' as const, chart: { title: 'Hot-row ceiling (closed model, autocannon)', yLabel: 'bids/s', groups: ceiling.map((s) => ({ name: label(s, 'strategy'), bars: [{ name: 'answered', value: s.extra.decided_per_s ?? 0 }, { name: 'placed', value: s.extra.success_per_s ?? 0 }] })) } }]
        : []),
    ];
  }
  if (ev.scenario === 'compute-latency') {
    const byMode = [...groupBy(steps, 'mode')];
    const slo = ev.metrics.fast_route_slo_ms;
    const line = (title: string, yLabel: string, f: (s: EvidenceStep) => number, ref?: { y: number; label: string }): Chart => ({
      kind: 'line',
      chart: { title, xLabel: 'task rate (tasks/s)', yLabel, series: byMode.map(([mode, ss]) => ({ name: mode, points: ss.map((s) => ({ x: Number(s.labels.taskRate), y: f(s) })) })), ...(ref ? { reference: ref } : {}) },
    });
    return [
      line('Fast route p99 against task rate', 'ms', (s) => s.latency.p99, slo ? { y: slo, label: `fast-route SLO ${slo} ms` } : undefined),
      line('Event-loop delay p99 (app main thread)', 'ms', (s) => s.extra.loop_delay_p99_ms ?? 0),
      line('Task latency p99', 'ms', (s) => s.extra.task_p99_ms ?? 0),
    ];
  }
  if (ev.scenario === 'notification-lag') {
    const x = (s: EvidenceStep, k: string) => s.extra[k] ?? 0;
    return [
      { kind: 'bar', chart: { title: 'Notification lag per event (bid committed to consumer inbox) and bid p99', yLabel: 'ms', groups: steps.map((s) => ({ name: s.label, bars: [{ name: 'lag p50', value: x(s, 'lag_p50_ms') }, { name: 'lag p99', value: x(s, 'lag_p99_ms') }, { name: 'lag max', value: x(s, 'lag_max_ms') }, { name: 'bid p99', value: s.latency.p99 }] })) } },
      { kind: 'bar', chart: { title: 'Events of the step: published, pending at step end, pending after the drain wait', yLabel: 'events', groups: steps.map((s) => ({ name: s.label, bars: [{ name: 'published', value: x(s, 'events') }, { name: 'backlog at end', value: x(s, 'backlog_at_step_end') }, { name: 'undrained', value: x(s, 'undrained') }] })) } },
    ];
  }
  if (ev.scenario === 'module-cost') {
    const per = (f: (s: EvidenceStep) => number, name: string) => steps.map((s) => ({ name: label(s, 'module'), bars: [{ name, value: f(s) }] }));
    return [
      { kind: 'bar', chart: { title: 'App CPU per answered request, per module (idle subtracted)', yLabel: 'CPU-ms/request', groups: per((s) => s.extra.cpu_ms_per_request ?? 0, 'CPU-ms') } },
      { kind: 'bar', chart: { title: 'Ratio to the median module (the trigger fires at 10)', yLabel: 'ratio', groups: per((s) => s.extra.cpu_ratio_to_median ?? 0, 'ratio') } },
    ];
  }
  return [];
}

function stepRows(ev: Evidence): string[][] {
  return ev.steps.map((s) => [
    s.label,
    s.offeredRate === null ? 'closed' : String(s.offeredRate),
    String(s.achievedRate),
    String(s.latency.p50),
    String(s.latency.p99),
    `${s.errors.total} (${(s.errors.rate * 100).toFixed(2)}%)`,
    s.counts ? `${s.counts.offered} / ${s.counts.sent} / ${s.counts.achieved} / ${s.counts.dropped} / ${s.counts.timeouts}` : '',
    s.generator ? `${s.generator.lateP99Ms} ms / ${s.generator.cpuShare ?? '?'}${s.generator.behind ? ' BEHIND' : ''}` : '',
    s.verdict ?? (s.withinSlo === undefined ? '' : s.withinSlo ? 'yes' : 'no'),
    Object.entries(s.extra).map(([k, v]) => `${k}=${v}`).join(', '),
  ]);
}
const STEP_HEAD = ['step', 'offered/s', 'achieved/s', 'p50 ms', 'p99 ms', 'errors', 'offered / sent / achieved / dropped / timeouts', 'generator lateness p99 / CPU', 'verdict', 'extra'];

function mdTable(head: string[], rows: string[][]): string {
  const cell = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function facts(ev: Evidence): Array<[string, string]> {
  return [
    ['scenario', ev.scenario],
    ['profile', ev.profile],
    ['runner', `${ev.runner.name} ${ev.runner.version}`],
    ['started / finished', `${ev.startedAt} / ${ev.finishedAt}${ev.interrupted ? ' (interrupted: partial figures)' : ''}`],
    ['commit', ev.commit ? `${ev.commit.sha.slice(0, 12)}${ev.commit.dirty ? ' (uncommitted changes)' : ''}` : 'unknown'],
    ['machine', `${ev.machine.cpus} x ${ev.machine.cpuModel}, ${Math.round(ev.machine.memoryBytes / 2 ** 30)} GiB, ${ev.machine.platform}, Node ${ev.machine.node}${ev.machine.postgres ? `, PostgreSQL ${ev.machine.postgres}` : ''}${ev.machine.loadAverage ? `, load average ${ev.machine.loadAverage.join(' / ')} at the start` : ''}`],
    ['definition', ev.definitionHash],
    ...(ev.quality?.calibration === null
      ? [['calibration', `none: ${ev.runner.name} is an instrument archfit cannot calibrate`] as [string, string]]
      : ev.quality?.calibration
      ? ([
          ['calibration', `error ${(ev.quality.calibration.error * 100).toFixed(1)} % (tolerance ${(ev.quality.calibration.tolerance * 100).toFixed(0)} %): p50 ${ev.quality.calibration.measured.p50}/${ev.quality.calibration.truth.p50}, p90 ${ev.quality.calibration.measured.p90}/${ev.quality.calibration.truth.p90}, p99 ${ev.quality.calibration.measured.p99}/${ev.quality.calibration.truth.p99} ms (measured/true)${ev.quality.calibration.passed ? '' : ' FAILED: indicative only'}`],
          ['load average through the run', `${ev.quality.loadAverage.samples.join(', ')} (1-minute, every 5 s)`],
          ['generator', `CPU max ${ev.quality.generator.cpuShareMax ?? '?'} of a core, lateness p99 max ${ev.quality.generator.lateP99MaxMs} ms${ev.quality.generator.behindSteps.length ? `, fell behind in ${ev.quality.generator.behindSteps.join(', ')} (no verdict on the app there)` : ''}`],
        ] as Array<[string, string]>)
      : [['quality', 'not recorded (schemaVersion 1): indicative only'] as [string, string]]),
  ];
}

export function markdownReport(ev: Evidence, evidenceFile: string): string {
  const parts = [`# Load evidence: ${ev.scenario}`, '', mdTable(['fact', 'value'], facts(ev)), '', `Evidence file: \`${evidenceFile}\``, '', '## Thresholds', ''];
  parts.push(mdTable(['id', 'metric', 'threshold', 'measured', 'verdict'], ev.thresholds.map((t) => [t.id, t.metric, `${t.comparator} ${t.value} ${t.unit}`, t.actual === null ? 'missing' : String(t.actual), t.verdict])));
  parts.push('', '## Metrics', '', mdTable(['metric', 'value', 'unit'], Object.entries(ev.metrics).map(([k, v]) => [k, String(v), ev.units[k] ?? ''])));
  parts.push('', '## Steps', '', mdTable(STEP_HEAD, stepRows(ev)));
  if (Object.keys(ev.database).length) parts.push('', '## Database counters', '', mdTable(['counter', 'value'], Object.entries(ev.database).map(([k, v]) => [k, String(v)])));
  if (ev.notes.length) parts.push('', '## Notes', '', ...ev.notes.map((n) => `- ${n}`));
  parts.push('', 'Charts: see the HTML report next to this file.', '');
  return parts.join('\n');
}

const h = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlTable = (head: string[], rows: string[][]) =>
  `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

export function htmlReport(ev: Evidence, evidenceFile: string): string {
  const charts = chartsFor(ev).map((c) => `<figure>${c.kind === 'line' ? lineChartSvg(c.chart) : barChartSvg(c.chart)}</figure>`).join('\n');
  const verdictRows = ev.thresholds.map((t) => [t.id, t.metric, `${t.comparator} ${t.value} ${t.unit}`, t.actual === null ? 'missing' : String(t.actual), t.verdict]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>archfit load: ${h(ev.scenario)}</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f4f4f4}figure{margin:1em 0}.pass{color:#2a7a2a}.fail{color:#b22}</style>
</head><body>
<h1>Load evidence: ${h(ev.scenario)}</h1>
${htmlTable(['fact', 'value'], facts(ev))}
<p>Evidence file: <code>${h(evidenceFile)}</code></p>
<h2>Thresholds</h2>${htmlTable(['id', 'metric', 'threshold', 'measured', 'verdict'], verdictRows)}
<h2>Charts</h2>${charts || '<p>No chart for this scenario.</p>'}
<h2>Metrics</h2>${htmlTable(['metric', 'value', 'unit'], Object.entries(ev.metrics).map(([k, v]) => [k, String(v), ev.units[k] ?? '']))}
<h2>Steps</h2>${htmlTable(STEP_HEAD, stepRows(ev))}
${Object.keys(ev.database).length ? `<h2>Database counters</h2>${htmlTable(['counter', 'value'], Object.entries(ev.database).map(([k, v]) => [k, String(v)]))}` : ''}
${ev.notes.length ? `<h2>Notes</h2><ul>${ev.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

/** Writes `<evidence>.md` and `<evidence>.html` beside the evidence file. */
export async function writeReports(ev: Evidence, evidenceFile: string, shownAs = evidenceFile): Promise<{ md: string; html: string }> {
  const base = evidenceFile.replace(/\.json$/, '');
  const md = `${base}.md`;
  const html = `${base}.html`;
  await writeFile(md, markdownReport(ev, shownAs));
  await writeFile(html, htmlReport(ev, shownAs));
  return { md, html };
}
