import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyActiveUsersHandler, type DailyActivity } from '../../src/modules/identity/application/daily-active-users.js';
import { bearer, startTestApp, userWithToken, type TestApp } from '../helpers/test-app.js';

/** Observed DAU: every login marks its user active that UTC day; admins export the daily counts. */
describe('daily active users, recorded by identity', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('counts distinct users who started a session today, and exports the archfit file format', async () => {
    const a = await userWithToken(t.app, 'consumer');
    await userWithToken(t.app, 'seller');
    const admin = await userWithToken(t.app, 'admin');
    // The same user logging in again the same day is still one active user.
    const again = await t.app.inject({ method: 'POST', url: '/api/public/sessions', payload: { email: a.email, password: 'correct horse battery staple', context: 'consumer' } });
    expect(again.statusCode).toBe(201);
    const today = new Date().toISOString().slice(0, 10);
    const fetchExport = () => t.app.inject({ method: 'GET', url: `/api/admin/activity/daily-active-users?days=7&through=${today}`, headers: bearer(admin.token) });
    // Recording runs beside the login (it must never fail one): wait for its writes, bounded.
    let response = await fetchExport();
    for (let i = 0; i < 100 && response.json().days?.[0]?.value !== 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      response = await fetchExport();
    }
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc).toMatchObject({ schemaVersion: 1, measurement: 'daily-active-users', unit: 'users/day', source: 'identity.daily_active_principals' });
    // Recording started today, so no earlier day is reported as a measured zero.
    expect(doc.days).toEqual([{ day: today, value: 3 }]);
  });

  it('is an admin route: a consumer token gets 403, bad query input 400', async () => {
    const consumer = await userWithToken(t.app, 'consumer');
    const admin = await userWithToken(t.app, 'admin');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/activity/daily-active-users', headers: bearer(consumer.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/activity/daily-active-users?days=0', headers: bearer(admin.token) })).statusCode).toBe(400);
  });
});

describe('the export', () => {
  const fake = (first: string | undefined, rows: Array<{ day: string; value: number }>): DailyActivity => ({
    record: async () => {},
    counts: async (from, through) => rows.filter((r) => r.day >= from && r.day <= through),
    firstDay: async () => first,
  });
  const now = () => new Date('2026-12-10T08:00:00Z');

  it('ends yesterday by default, fills measured days nobody used with 0, starts no earlier than recording', async () => {
    const doc = await dailyActiveUsersHandler(fake('2026-12-06', [{ day: '2026-12-06', value: 5 }, { day: '2026-12-08', value: 7 }, { day: '2026-12-10', value: 9 }]), now)({ days: 7 });
    expect(doc.days).toEqual([
      { day: '2026-12-06', value: 5 },
      { day: '2026-12-07', value: 0 },
      { day: '2026-12-08', value: 7 },
      { day: '2026-12-09', value: 0 },
    ]);
    expect(doc.exportedAt).toBe('2026-12-10T08:00:00.000Z');
  });

  it('has no days at all before anything was recorded', async () => {
    expect((await dailyActiveUsersHandler(fake(undefined, []), now)({ days: 7 })).days).toEqual([]);
  });
});
