/** One meaning per exit code, across every archfit command. */
export const EXIT = {
  /** Clean: no violations, no fired triggers, no lint findings. */
  ok: 0,
  /** Findings: violations, lint findings, fired triggers, failed thresholds. */
  findings: 1,
  /** Usage or input error: bad flags, invalid config, unreadable ADR or evidence. */
  usage: 2,
  /** `archfit init` refused: a config already exists in that folder (pass --force). */
  exists: 3,
  /** `archfit load` refused to write evidence: the runner could not calibrate within tolerance on this machine now. */
  cannotMeasure: 4,
} as const;

export type SetExit = (code: number) => void;
