/** The slice of a pino/Fastify logger the bus uses, so tests can pass a silent or recording one. */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: BusLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** Error text stored in `last_error`: the message and the top of the stack, bounded. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return (err.stack ?? `${err.name}: ${err.message}`).slice(0, 4000);
  return String(err).slice(0, 4000);
}
