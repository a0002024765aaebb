import type { CheckResult } from '../rules/run.js';

/** GitHub workflow commands escape `%`, CR and LF in data, plus `:` and `,` in properties. */
const data = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const prop = (s: string) => data(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** `::error file=…,line=…,col=…,title=…::message` lines: annotations on the pull request diff. */
export function formatGithub(result: CheckResult): string {
  const lines = result.violations.map((v) => {
    const level = v.severity === 'error' ? 'error' : 'warning';
    return `::${level} file=${prop(v.file)},line=${v.line},col=${v.column},title=${prop(`archfit ${v.rule}`)}::${data(`${v.message}\nWhy: ${v.why}\nFix: ${v.fix}`)}`;
  });
  for (const e of result.staleBaseline) {
    lines.push(`::error file=${prop(e.file)},title=${prop('archfit baseline')}::${data(`Baseline entry no longer occurs (${e.rule}: ${e.message}). Run archfit check --update-baseline and commit.`)}`);
  }
  const errors = result.violations.filter((v) => v.severity === 'error').length;
  lines.push(`archfit: ${errors} error(s), ${result.violations.length - errors} warning(s), ${result.baselined.length} known, ${result.exempted.length} exempted, ${result.staleBaseline.length} stale`);
  return `${lines.join('\n')}\n`;
}
