/**
 * Where each consumer's handlers run: a deployment decision, read from the environment.
 * `<MODULE>_RUN=in-process` (default) runs them in the app's relay; `<MODULE>_RUN=worker`
 * leaves them to `npm run worker -- <module>`, which reads the same outbox;
 * `<MODULE>_RUN=jetstream` has the app forward the consumer's events to NATS JetStream and the
 * worker consume them from there (fan-out to many instances). The module is the consumer name
 * up to the first dot (`notifications`, `notifications.digest` -> NOTIFICATIONS_RUN).
 */
export type Placement = 'in-process' | 'worker' | 'jetstream';

export class PlacementConfigError extends Error {
  constructor(variable: string, value: string) {
    super(`${variable}=${JSON.stringify(value)} is not a placement: use "in-process", "worker" or "jetstream"`);
    this.name = 'PlacementConfigError';
  }
}

export function placementVariable(consumer: string): string {
  const module = consumer.split('.')[0] ?? consumer;
  return `${module.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_RUN`;
}

export function placementOf(consumer: string, env: NodeJS.ProcessEnv = process.env): Placement {
  const variable = placementVariable(consumer);
  const value = env[variable];
  if (value === undefined || value === '' || value === 'in-process') return 'in-process';
  if (value === 'worker' || value === 'jetstream') return value;
  throw new PlacementConfigError(variable, value);
}

/** The app process runs every consumer not placed in a worker. */
export function runsInApp(env: NodeJS.ProcessEnv = process.env): (consumer: string) => boolean {
  return (consumer) => placementOf(consumer, env) === 'in-process';
}

/** A worker started for some modules runs exactly those modules' consumers. */
export function runsInWorker(modules: ReadonlyArray<string>): (consumer: string) => boolean {
  const set = new Set(modules);
  return (consumer) => set.has(consumer.split('.')[0] ?? consumer);
}
