import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from '../../shared/http/problem-details.js';

export type ReadinessProbe = () => Promise<void>;

const PUBLIC = { auth: { context: 'public', permission: 'public' } } as const;
const Status = Type.Object({ status: Type.String() });

/** Liveness and readiness, for load balancers and orchestrators. */
export async function registerOpsRoutes(scope: FastifyInstance, readiness: ReadinessProbe): Promise<void> {
  // Liveness: the process answers. Never touches the database, so a slow DB does not get us killed.
  scope.get('/health', { config: PUBLIC, schema: { tags: ['ops'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));
  // Readiness: we can do useful work, i.e. the database answers.
  scope.get(
    '/ready',
    { config: PUBLIC, schema: { tags: ['ops'], response: { 200: Status } } },
    async (request, reply) => {
      try {
        await readiness();
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness probe failed');
        return sendProblem(reply, problem(503, 'not-ready', 'the database is not reachable'));
      }
    },
  );
}
