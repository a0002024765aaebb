import type { DeclaredTrigger } from './declared.js';
import type { TriggerResult } from './evaluate.js';
import type { TriggerReport } from './index.js';
import type { EvidencePolicy } from './policy.js';

/** One reason the revisit gate is closed: what `archfit check` reports and `archfit triggers` exits 1 on. */
export interface GateFinding {
  kind: 'unanswered' | 'invalid' | 'stale' | 'no-evidence' | 'problem';
  file: string;
  line: number;
  triggerId: string | null;
  message: string;
}

/**
 * The revisit gate, failing closed: a fired trigger no accepted revisit answers, a trigger
 * that cannot be evaluated (invalid evidence, an unknown source, a malformed declaration),
 * and, when the policy requires fresh evidence (the default), a scenario trigger whose
 * qualifying evidence is stale or missing. `check` and `triggers` both decide from this list,
 * so their exit codes agree.
 */
export function gateFindings(report: Pick<TriggerReport, 'triggers' | 'declared' | 'problems'>, policy: Pick<EvidencePolicy, 'requireFresh'>): GateFinding[] {
  const out: GateFinding[] = [];
  for (const p of report.problems) {
    const m = /^([^:\s]+):(\d+):/.exec(p);
    out.push({ kind: 'problem', file: m?.[1] ?? '.', line: m ? Number(m[2]) : 1, triggerId: null, message: p });
  }
  for (const r of report.triggers) {
    const d = report.declared.find((x) => x.trigger.id === r.id && x.adr === r.adr);
    const at = { file: d?.adrFile ?? r.adrFile, line: d?.line ?? 1, triggerId: r.id };
    const scenario = d ? 'scenario' in d.trigger.source : false;
    if (r.status === 'fired' && !r.answeredBy) {
      const notes = r.revisitNotes?.length ? ` (${r.revisitNotes.join('; ')})` : '';
      out.push({ kind: 'unanswered', ...at, message: `trigger ${r.id} of ADR ${pad(r.adr)} fired (${r.reason}; evidence ${r.evidence}) and no accepted revisit answers this firing${notes}` });
    } else if (r.status === 'invalid') {
      out.push({ kind: 'invalid', ...at, message: `trigger ${r.id} of ADR ${pad(r.adr)} cannot be evaluated: ${r.reason}` });
    } else if ((r.status === 'stale' || r.status === 'no-evidence') && scenario && policy.requireFresh) {
      out.push({ kind: r.status, ...at, message: `trigger ${r.id} of ADR ${pad(r.adr)} has no fresh qualifying evidence: ${r.reason}` });
    }
  }
  return out;
}

export function gateExitCode(findings: readonly GateFinding[]): 0 | 1 {
  return findings.length ? 1 : 0;
}

const pad = (n: number) => String(n).padStart(4, '0');

export type { DeclaredTrigger, TriggerResult };
