import type { HealthCadence } from './declaration.js';

/** `unknown` only until the first probe answers or the degraded threshold passes. */
export type HealthState = 'unknown' | 'up' | 'degraded' | 'down';

export interface ProbeRecord {
  at: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthTransition {
  at: string;
  from: HealthState;
  to: HealthState;
}

export interface HealthSnapshot {
  state: HealthState;
  lastSuccessAt: string | null;
  history: ProbeRecord[];
  transitions: HealthTransition[];
}

export interface HealthMonitorOptions {
  /** Probe records kept; older ones are dropped so memory stays bounded however long the app runs. */
  historySize?: number;
  now?: () => number;
}

/**
 * Polls one service's `/health` on its declared cadence and classifies it by the declared
 * thresholds: `up` while probes succeed, `degraded` after `degradedAfterSeconds` without a
 * success, `down` after `downAfterSeconds`. The state is computed when read, so a gate asking
 * between two probes still sees the thresholds exactly.
 */
export class HealthMonitor {
  private readonly history: ProbeRecord[] = [];
  private readonly transitions: HealthTransition[] = [];
  private readonly historySize: number;
  private readonly now: () => number;
  private startedAt: number;
  private lastSuccessAt: number | undefined;
  private recordedState: HealthState = 'unknown';
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly cadence: HealthCadence,
    private readonly probe: (timeoutMs: number) => Promise<void>,
    options: HealthMonitorOptions = {},
  ) {
    this.historySize = options.historySize ?? 50;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Reading the state also records a transition, so a gate that saw `down` leaves a trace in the history. */
  get state(): HealthState {
    const current = this.classify();
    this.note(current);
    return current;
  }

  private classify(): HealthState {
    const now = this.now();
    const since = this.lastSuccessAt ?? this.startedAt;
    const silentMs = now - since;
    if (silentMs >= this.cadence.downAfterSeconds * 1000) return 'down';
    if (silentMs >= this.cadence.degradedAfterSeconds * 1000) return 'degraded';
    return this.lastSuccessAt === undefined ? 'unknown' : 'up';
  }

  /** Seconds a gated caller should wait before trying again: one probe interval, at least 1. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.cadence.intervalSeconds));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.now();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Runs one probe now (the loop uses it; tests and the admin view may too). */
  async probeOnce(): Promise<void> {
    const startedAt = this.now();
    // Never longer than the interval, so a hanging service cannot stall the loop's cadence.
    const timeoutMs = Math.max(20, Math.min(2_000, this.cadence.intervalSeconds * 1000));
    let record: ProbeRecord;
    try {
      await this.probe(timeoutMs);
      this.lastSuccessAt = this.now();
      record = { at: new Date(startedAt).toISOString(), ok: true, latencyMs: this.now() - startedAt };
    } catch (err) {
      const error = err instanceof Error ? err.message || err.name : String(err);
      record = { at: new Date(startedAt).toISOString(), ok: false, latencyMs: this.now() - startedAt, error };
    }
    this.history.push(record);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    this.note(this.classify());
  }

  snapshot(): HealthSnapshot {
    return {
      state: this.state,
      lastSuccessAt: this.lastSuccessAt === undefined ? null : new Date(this.lastSuccessAt).toISOString(),
      history: [...this.history],
      transitions: [...this.transitions],
    };
  }

  private note(current: HealthState): void {
    if (current === this.recordedState) return;
    this.transitions.push({ at: new Date(this.now()).toISOString(), from: this.recordedState, to: current });
    if (this.transitions.length > this.historySize) this.transitions.shift();
    this.recordedState = current;
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    this.inFlight = this.probeOnce();
    await this.inFlight;
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), this.cadence.intervalSeconds * 1000);
    // The probe loop alone must not keep a process alive.
    this.timer.unref();
  }
}
