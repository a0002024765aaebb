/** What Ctrl-C does while load runs: a run that stops writes what it measured. */
export interface Interrupt {
  /** Aborted by the first Ctrl-C: the runner stops scheduling, lets in-flight requests finish and writes its evidence. */
  signal: AbortSignal;
  /** Removes the handler (Ctrl-C quits at once again). */
  release: () => void;
}

/**
 * Installs the SIGINT handler both load CLIs use (`archfit load` and `npm run load`): the first
 * Ctrl-C aborts the returned signal and says what happens next; a second one quits at once
 * (exit 130, what a shell reports for SIGINT).
 */
export function stopOnCtrlC(write: (text: string) => void = (text) => process.stderr.write(text), exit: (code: number) => void = (code) => process.exit(code)): Interrupt {
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) return exit(130);
    write('\nstopping: finishing in-flight requests and writing what was measured (Ctrl-C again to quit at once)\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: ac.signal, release: () => process.off('SIGINT', onSigint) };
}
