import type { CheckResult } from '../rules/run.js';

const xml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');

/** JUnit XML: one test suite per enabled rule, one failing test case per violation (or one passing case). */
export function formatJunit(result: CheckResult): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: { id: string }[] = result.rules.filter((r) => r.enabled || result.violations.some((v) => v.rule === r.id));
  // Findings about exemptions come from no registered rule but still need a suite.
  for (const id of new Set(result.violations.map((v) => v.rule))) if (!suites.some((r) => r.id === id)) suites.push({ id });
  const failures = result.violations.filter((v) => v.severity === 'error').length + result.staleBaseline.length;
  out.push(`<testsuites name="archfit" tests="${Math.max(1, result.violations.length + suites.length)}" failures="${failures}" time="${(result.stats.totalMs / 1000).toFixed(3)}">`);
  for (const rule of suites) {
    const list = result.violations.filter((v) => v.rule === rule.id);
    const failing = list.filter((v) => v.severity === 'error').length;
    out.push(`  <testsuite name="${xml(rule.id)}" tests="${Math.max(1, list.length)}" failures="${failing}">`);
    if (list.length === 0) out.push(`    <testcase classname="archfit.${xml(rule.id)}" name="no violations"/>`);
    for (const v of list) {
      const name = `${v.file}:${v.line}:${v.column}`;
      out.push(`    <testcase classname="archfit.${xml(rule.id)}" name="${xml(name)}" file="${xml(v.file)}" line="${v.line}">`);
      const tag = v.severity === 'error' ? 'failure' : 'system-out';
      const body = xml(`${v.message}\nWhy: ${v.why}\nFix: ${v.fix}`);
      out.push(tag === 'failure' ? `      <failure type="${xml(v.rule)}" message="${xml(v.message)}">${body}</failure>` : `      <system-out>${body}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (result.staleBaseline.length > 0) {
    out.push(`  <testsuite name="baseline" tests="${result.staleBaseline.length}" failures="${result.staleBaseline.length}">`);
    for (const e of result.staleBaseline) {
      out.push(`    <testcase classname="archfit.baseline" name="${xml(`${e.file} ${e.rule}`)}"><failure type="stale-baseline" message="${xml(`no longer occurs: ${e.message}`)}"/></testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
