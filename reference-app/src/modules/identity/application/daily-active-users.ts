/**
 * Daily active users: distinct users per UTC day who started a session. Tokens live an hour,
 * so anyone active on a day logs in on that day or in the last hour of the day before; that
 * hour is the known undercount. The export is the file archfit's `sustained-dau` trigger reads.
 */

/** Storage of the daily set of active users; implemented in infrastructure with SQL. */
export interface DailyActivity {
  record(userId: string, at: Date): Promise<void>;
  /** Distinct users per day for days in [from, through], as YYYY-MM-DD; days nobody was active are absent. */
  counts(from: string, through: string): Promise<Array<{ day: string; value: number }>>;
  /** The first day anything was recorded, if any: days before it were not measured. */
  firstDay(): Promise<string | undefined>;
}

export interface DailyActiveUsersExport {
  schemaVersion: 1;
  measurement: 'daily-active-users';
  unit: 'users/day';
  source: string;
  exportedAt: string;
  days: Array<{ day: string; value: number }>;
}

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Wraps the session issuer so that every session it issues marks its user active that day.
 * Recording must not fail a login: a failed write is logged, the session is still issued.
 */
export function recordingSessions<C extends { sub: string }, T>(
  issuer: { issue(claims: C): T },
  activity: DailyActivity,
  onError: (error: unknown) => void,
  now: () => Date = () => new Date(),
): { issue(claims: C): T } {
  return {
    issue(claims) {
      const issued = issuer.issue(claims);
      activity.record(claims.sub, now()).catch(onError);
      return issued;
    },
  };
}

/**
 * The last `days` days through `through` (default: yesterday, the last complete UTC day),
 * starting no earlier than the first recorded day; a measured day nobody was active is 0.
 */
export function dailyActiveUsersHandler(activity: DailyActivity, now: () => Date = () => new Date()) {
  return async function exportDailyActiveUsers(query: { days: number; through?: string }): Promise<DailyActiveUsersExport> {
    const at = now();
    const through = query.through ?? dayOf(new Date(at.getTime() - DAY_MS));
    const start = dayOf(new Date(new Date(`${through}T00:00:00Z`).getTime() - (query.days - 1) * DAY_MS));
    const first = await activity.firstDay();
    const from = first && first > start ? first : start;
    const counted = new Map((first ? await activity.counts(from, through) : []).map((d) => [d.day, d.value]));
    const days: Array<{ day: string; value: number }> = [];
    if (first) {
      for (let t = new Date(`${from}T00:00:00Z`).getTime(); dayOf(new Date(t)) <= through; t += DAY_MS) {
        const day = dayOf(new Date(t));
        days.push({ day, value: counted.get(day) ?? 0 });
      }
    }
    return { schemaVersion: 1, measurement: 'daily-active-users', unit: 'users/day', source: 'identity.daily_active_principals', exportedAt: at.toISOString(), days };
  };
}
