import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { build, type App, type BuildOptions } from '../../src/app.js';

export const TEST_TOKEN_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestApp {
  app: App;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The whole app on a brand-new database of its own; the relay is off unless asked for. */
export async function startTestApp(options: Partial<BuildOptions> = {}): Promise<TestApp> {
  const db = await createTestDatabase('refapp');
  const app = await build({ databaseUrl: db.url, tokenSecret: TEST_TOKEN_SECRET, relay: false, ...options });
  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export type LoginContext = 'consumer' | 'seller' | 'admin';

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** A user holding one role, logged in through the real login route. */
export async function userWithToken(app: App, context: LoginContext): Promise<TestUser> {
  const email = `${context}-${randomBytes(4).toString('hex')}@test.archfit.dev`;
  const password = 'correct horse battery staple';
  const user = await app.users.ensureUser({ email, password, displayName: `Test ${context}`, roles: [context] });
  const response = await app.inject({
    method: 'POST',
    url: '/api/public/sessions',
    payload: { email, password, context },
  });
  if (response.statusCode !== 201) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return { id: user.id, email, token: response.json<{ token: string }>().token };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

/** Asserts the response is problem+json and returns its body. */
export function problemOf(response: LightMyRequestResponse): ProblemBody {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) {
    throw new Error(
      `expected application/problem+json, got ${type} (${response.statusCode}): ${response.body.slice(0, 300)}`,
    );
  }
  return response.json<ProblemBody>();
}

export async function createListing(
  app: App,
  seller: TestUser,
  listing: { kind: 'fixed-price' | 'auction'; priceCents: number; stock: number; title?: string; description?: string },
): Promise<{ id: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/seller/listings',
    headers: bearer(seller.token),
    payload: { title: listing.title ?? `Test ${listing.kind} listing`, ...listing },
  });
  if (response.statusCode !== 201) throw new Error(`listing failed: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>();
}
