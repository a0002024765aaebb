import type { PoolClient } from 'pg';

/**
 * One event-delivery system under test. The workload drives both the same way: it publishes
 * in the caller's transaction, and each system's consumer writes one effect row per event
 * and reports the moment its handler ran.
 */
export interface EventSystem {
  readonly name: string;
  /** Writes the events (one per seq) inside `tx`, as a business transaction would. */
  publish(tx: PoolClient, seqs: number[]): Promise<void>;
  /** Called after the transaction committed (for systems that wake workers in-process). */
  afterCommit(): void;
  /** Starts consumers for a fresh run; `onHandled(seq)` is called from inside each handler. */
  startConsumers(run: string, onHandled: (seq: number) => void): Promise<void>;
  stopConsumers(): Promise<void>;
  /** Committed effect rows of the current run (to check nothing was lost). */
  effects(): Promise<number>;
  close(): Promise<void>;
  /** One line describing the configuration, printed under the table. */
  describe(): string;
}
