import type { EvidenceStep } from './evidence.js';
import type { ProfileName } from '../scenarios/schema.js';

/** What every scenario runner gets. */
export interface RunContext {
  profile: ProfileName;
  /** Aborted on Ctrl-C: stop sending, keep what was measured. */
  signal: AbortSignal;
  /** A Postgres URL allowed to CREATE DATABASE. */
  adminUrl: string;
  log(message: string): void;
  /** Progress of the current step (sent / planned). */
  progress(label: string): { update(done: number, total: number, errors: number): void; stop(): void };
}

/** What a scenario runner hands back to become evidence. */
export interface ScenarioOutcome {
  targetUrl: string;
  appEnv: Record<string, string>;
  steps: EvidenceStep[];
  database: Record<string, number>;
  metrics: Record<string, number>;
  units: Record<string, string>;
  notes: string[];
  interrupted: boolean;
}
