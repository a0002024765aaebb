/**
 * A problem with the config or the command line: the CLI prints the message and exits 2.
 * `key` names the offending config key (e.g. `modules[1].glob`) when there is one.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(key ? `${key}: ${message}` : message);
  }
}
