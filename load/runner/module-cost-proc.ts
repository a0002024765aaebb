import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * What Linux says about one process: CPU time of all its threads (worker threads included) and
 * its memory, read from /proc/<pid>/stat and /proc/<pid>/status. The load generator never reads
 * its own process here, only the app it started, so its own CPU is never counted.
 */
export interface ProcReading {
  /** utime + stime of the whole process (every thread), milliseconds. */
  cpuMs: number;
  /** Resident set size now (VmRSS), bytes. */
  rssBytes: number;
  /** Peak resident set size so far (VmHWM), bytes. */
  peakRssBytes: number;
}

export type ProcReader = (pid: number) => Promise<ProcReading>;

/** Clock ticks per second of utime/stime (`getconf CLK_TCK`; 100 on every common Linux). */
export function clockTicks(): number {
  try {
    const v = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(v) && v > 0 ? v : 100;
  } catch {
    return 100;
  }
}

/**
 * utime + stime in ms from a /proc/<pid>/stat line. The command name (field 2) is in
 * parentheses and may itself hold spaces or parentheses, so fields are counted after the last ')'.
 */
export function parseStatCpuMs(stat: string, ticksPerSecond: number): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line: no ")" after the command name');
  // After ")": field 3 (state) is index 0, so utime (field 14) is index 11 and stime (15) index 12.
  const rest = stat.slice(close + 1).trim().split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('not a /proc/<pid>/stat line: utime or stime is not a number');
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** A `Vm...:  1234 kB` line of /proc/<pid>/status, in bytes (0 when absent, as for a kernel thread). */
export function parseStatusBytes(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

let ticks: number | undefined;

/** The real reader (Linux only). */
export const readProc: ProcReader = async (pid) => {
  ticks ??= clockTicks();
  const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
  return { cpuMs: parseStatCpuMs(stat, ticks), rssBytes: parseStatusBytes(status, 'VmRSS'), peakRssBytes: parseStatusBytes(status, 'VmHWM') };
};
