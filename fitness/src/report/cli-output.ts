import { writeFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/** Prints to stdout, or writes `--output <file>`. */
export function emit(text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}

/** A config or usage problem prints one clear line and exits 2; anything else is rethrown. */
export function reportUsageError(err: unknown, command: string, setExit: SetExit): void {
  if (err instanceof ConfigError) {
    process.stderr.write(`archfit ${command}: ${err.message}\n`);
    setExit(EXIT.usage);
    return;
  }
  throw err;
}

export function assertFormat<T extends string>(format: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(format)) {
    throw new ConfigError(`unknown format "${format}"; use one of ${allowed.join(', ')}`, '--format');
  }
  return format as T;
}
