import type { Queryable } from '../../../shared/db/transaction.js';
import type { DailyActivity } from '../application/daily-active-users.js';

export function createPgDailyActivity(db: Queryable): DailyActivity {
  return {
    async record(userId, at) {
      await db.query(
        `INSERT INTO identity.daily_active_principals (day, user_id)
         VALUES (($2::timestamptz AT TIME ZONE 'UTC')::date, $1) ON CONFLICT DO NOTHING`,
        [userId, at.toISOString()],
      );
    },
    async counts(from, through) {
      const { rows } = await db.query<{ day: string; value: number }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS value
           FROM identity.daily_active_principals
          WHERE day BETWEEN $1::date AND $2::date
          GROUP BY day ORDER BY day`,
        [from, through],
      );
      return rows;
    },
    async firstDay() {
      const { rows } = await db.query<{ day: string | null }>(
        `SELECT to_char(min(day), 'YYYY-MM-DD') AS day FROM identity.daily_active_principals`,
      );
      return rows[0]?.day ?? undefined;
    },
  };
}
