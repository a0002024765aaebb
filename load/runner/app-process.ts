import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test-support/postgres-admin.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The app's own event-loop view over a window, read through the preloaded loop probe. */
export interface LoopReading {
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Event-loop utilisation 0..1 (busy share of the main thread). */
  utilization: number;
  /** CPU time of the whole process (all threads) over wall time; above 1 means more than one core. */
  cpuShare: number;
  windowMs: number;
}

export interface RunningApp {
  url: string;
  /** The app's own process (node under tsx, no shell in between): /proc/<pid> reads its CPU time and memory. */
  pid: number;
  env: Record<string, string>;
  /** Reads and resets the probe's window. */
  readLoop(): Promise<LoopReading>;
  /** The app's last output lines, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts an entry point of the reference app (default src/main.ts) as a child process under
 * tsx, so the app's event loop is never the load generator's, and waits for `readyPath`.
 */
export async function startApp(opts: { env: Record<string, string>; entry?: string; readyPath?: string; timeoutMs?: number; portEnv?: string }): Promise<RunningApp> {
  const port = await freePort();
  const entry = opts.entry ?? 'reference-app/src/main.ts';
  const env: Record<string, string> = { LOG_LEVEL: 'warn', SEED_DEMO: '0', ...opts.env, HOST: '127.0.0.1', [opts.portEnv ?? 'PORT']: String(port) };
  const probe = path.join(REPO_ROOT, 'load/runner/loop-probe.mjs');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', probe, path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let readId = 0;
  const readLoop = (): Promise<LoopReading> =>
    new Promise((resolve, reject) => {
      const id = ++readId;
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error('the loop probe did not answer within 5 s'));
      }, 5_000);
      const onMessage = (msg: { type?: string; id?: number } & LoopReading) => {
        if (msg?.type !== 'loop-probe:reading' || msg.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        const { type: _t, id: _i, ...reading } = msg;
        resolve(reading);
      };
      child.on('message', onMessage);
      child.send({ type: 'loop-probe:read', id });
    });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const readyPath = opts.readyPath ?? '/health';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode} before it was ready:\n${tail}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) return { url, pid: child.pid!, env, readLoop, output: () => tail, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${entry} did not answer ${readyPath} within ${(opts.timeoutMs ?? 60_000) / 1000}s:\n${tail}`);
}
