import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RepositoryMeasurement } from '../adr/schema.js';

const run = promisify(execFile);

export type RepositoryReading = { ok: true; value: number; detail: string } | { ok: false; reason: string };

export interface ModuleTags {
  name: string;
  tags: readonly string[];
}

export interface RepositoryFacts {
  root: string;
  modules: readonly ModuleTags[];
  /** Window for active engineers, in days (90 by the agreed definition). */
  teamWindowDays?: number;
  /** The availability the app as a whole promises; a module tagged stricter has its own SLO. */
  appSlo?: number;
  /** For tests: the moment "now" is taken as. */
  now?: Date;
}

/** Distinct commit author e-mails in the window: people actually changing this code base. */
export async function activeEngineers(root: string, days: number, now = new Date()): Promise<RepositoryReading> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  try {
    const { stdout } = await run('git', ['log', `--since=${since}`, `--until=${now.toISOString()}`, '--format=%aE'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const authors = new Set(stdout.split('\n').map((s) => s.trim().toLowerCase()).filter(Boolean));
    return { ok: true, value: authors.size, detail: `distinct commit authors in the last ${days} days` };
  } catch (err) {
    return { ok: false, reason: `cannot read git history in ${root}: ${(err as Error).message.split('\n')[0]}` };
  }
}

export function complianceTaggedModules(modules: readonly ModuleTags[]): RepositoryReading {
  const tagged = modules.filter((m) => m.tags.some((t) => t.startsWith('compliance:')));
  return { ok: true, value: tagged.length, detail: tagged.length ? `tagged compliance:*: ${tagged.map((m) => m.name).join(', ')}` : 'no module tagged compliance:*' };
}

/** Modules tagged `slo:<availability %>` stricter than the app's own SLO. */
export function modulesWithOwnSlo(modules: readonly ModuleTags[], appSlo: number): RepositoryReading {
  const bad: string[] = [];
  const stricter: string[] = [];
  for (const m of modules) {
    for (const t of m.tags.filter((tag) => tag.startsWith('slo:'))) {
      const v = Number(t.slice(4));
      if (!Number.isFinite(v) || v <= 0 || v > 100) bad.push(`${m.name} (${t})`);
      else if (v > appSlo) stricter.push(`${m.name} (${t})`);
    }
  }
  if (bad.length) return { ok: false, reason: `slo tags must be availability percentages like slo:99.99; not: ${bad.join(', ')}` };
  return { ok: true, value: stricter.length, detail: stricter.length ? `stricter than the app's ${appSlo}%: ${stricter.join(', ')}` : `no module stricter than the app's ${appSlo}%` };
}

export async function measureRepository(measurement: RepositoryMeasurement, facts: RepositoryFacts): Promise<RepositoryReading> {
  switch (measurement) {
    case 'team-size':
      return activeEngineers(facts.root, facts.teamWindowDays ?? 90, facts.now);
    case 'compliance-isolation':
      return complianceTaggedModules(facts.modules);
    case 'feature-slos':
      return modulesWithOwnSlo(facts.modules, facts.appSlo ?? 99.9);
  }
}
