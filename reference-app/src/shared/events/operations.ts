import type { AppModule, AuthContextName } from '../module.js';
import type { FastifyPluginAsync } from 'fastify';
import { eventsMigrationsDir } from './schema.js';

/**
 * The outbox as an entry of the app's module list: its migrations, and the route plugins the
 * app hands it (the admin view lives in the admin context, `contexts/admin/outbox-routes.ts`).
 * It is shared kernel, not a business module; the list is where the app collects migrations
 * and per-context routes.
 */
export function createEventsOperations(routes: Partial<Record<AuthContextName, FastifyPluginAsync>> = {}): AppModule {
  return { name: 'events', migrationsDir: eventsMigrationsDir, routes };
}
