import type { GateFinding } from 'archfit';

/**
 * `npm run loop` measures; the one thing that fails it is a trigger that fired on qualifying
 * evidence with no accepted revisit answering that firing. Everything else the gate reports
 * (stale or missing evidence, invalid files) is printed as a finding for `archfit check` to judge.
 */
export function loopExitCode(findings: readonly GateFinding[]): 0 | 1 {
  return findings.some((f) => f.kind === 'unanswered') ? 1 : 0;
}
