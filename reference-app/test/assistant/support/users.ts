import { randomBytes } from 'node:crypto';
import type { App } from '../../../src/app.js';
import type { TokenService } from '../../../src/shared/auth/tokens.js';

/**
 * A real user with one role and a token for it. Tokens are checked against the user's current
 * token version on every guarded request, so a token for a user who does not exist is a 401.
 */
export async function userToken(
  app: App,
  tokens: TokenService,
  ctx: 'consumer' | 'seller' | 'admin',
  perms: string[],
): Promise<{ id: string; token: string }> {
  const email = `${ctx}-${randomBytes(4).toString('hex')}@assistant.test.archfit.dev`;
  const user = await app.users.ensureUser({ email, password: 'correct horse battery staple', displayName: `Test ${ctx}`, roles: [ctx] });
  return { id: user.id, token: tokens.issue({ sub: user.id, ctx, perms }).token };
}
