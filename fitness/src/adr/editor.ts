import { spawn } from 'node:child_process';

/** `$VISUAL` or `$EDITOR` was not set, or the editor could not start or failed: exit 2. */
export class EditorError extends Error {
  override name = 'EditorError';
}

/**
 * Opens a file in the user's editor and waits for it to close, as adr-tools does. The
 * variable may carry arguments ("code --wait"), so it runs through the shell with the path
 * quoted.
 */
export function openInEditor(file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const editor = env.VISUAL?.trim() || env.EDITOR?.trim();
  if (!editor) return Promise.reject(new EditorError('--edit needs $VISUAL or $EDITOR set to an editor command'));
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn(`${editor} ${quoted}`, { shell: true, stdio: 'inherit', env });
    child.on('error', (err) => reject(new EditorError(`cannot start the editor "${editor}": ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new EditorError(`the editor "${editor}" exited with ${signal ?? `code ${code}`}; the record was written anyway`));
    });
  });
}
