import { fileURLToPath } from 'node:url';
import { createRevocationCheck, type RevocationCheck } from '../../../shared/auth/revocation.js';
import type { TokenService } from '../../../shared/auth/tokens.js';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { traced } from '../../../shared/tracing.js';
import { dailyActiveUsersHandler, recordingSessions } from '../application/daily-active-users.js';
import { logInHandler } from '../application/log-in.js';
import { getUserHandler, listUsersHandler } from '../application/queries.js';
import { registerUserHandler } from '../application/register-user.js';
import { deleteAccountHandler, revokeSessionsHandler } from '../application/sessions.js';
import { normaliseEmail } from '../domain/user.js';
import { createPgDailyActivity } from '../infrastructure/pg-daily-activity.js';
import { createPgUserRepository } from '../infrastructure/pg-user-repository.js';
import { createScryptPasswordHasher } from '../infrastructure/scrypt-password-hasher.js';
import type { IdentityHandlers } from './handlers.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-throttle.js';
import type { UserDirectory } from './public-types.js';
import { adminRoutes } from './routes/admin.js';
import { consumerRoutes } from './routes/consumer.js';
import { publicRoutes } from './routes/public.js';
import { sellerRoutes } from './routes/seller.js';

export type IdentityDeps = ModuleDeps & { tokens: TokenService; loginLimits?: LoginLimits };

export interface IdentityModule extends AppModule {
  /** Lets the entry point seed demo users; other modules do not depend on identity. */
  users: UserDirectory;
  /** The context guards ask it whether a token's user still exists and its version is current. */
  revocation: RevocationCheck;
}

/** Composition root of identity: users, password hashing, login into one auth context. */
export function createIdentityModule(deps: IdentityDeps): IdentityModule {
  const users = createPgUserRepository(deps.pool);
  const hasher = createScryptPasswordHasher();
  // Verified against when the email is unknown, so a miss costs what a hit costs.
  const decoyHash = hasher.hash('decoy-password-never-matches');
  decoyHash.catch(() => {});
  // Each session marks its user active that UTC day: the observed DAU archfit's sustained-dau trigger reads.
  const activity = createPgDailyActivity(deps.pool);
  const sessions = recordingSessions(deps.tokens, activity, (error) => deps.logger.warn({ err: error }, 'daily activity not recorded'));
  // Token versions live in identity's table; the check (with its short cache) is the shared kernel's.
  const revocation = createRevocationCheck(users);
  const forget = (userId: string) => revocation.forget(userId);
  const handlers: IdentityHandlers = {
    registerUser: traced('identity', 'RegisterUser', registerUserHandler(users, hasher)),
    logIn: traced('identity', 'LogIn', logInHandler(users, hasher, sessions, decoyHash)),
    getUser: traced('identity', 'GetUser', getUserHandler(users)),
    listUsers: traced('identity', 'ListUsers', listUsersHandler(users)),
    revokeSessions: traced('identity', 'RevokeSessions', revokeSessionsHandler(users, forget)),
    deleteAccount: traced('identity', 'DeleteAccount', deleteAccountHandler(users, hasher, forget)),
  };
  return {
    name: 'identity',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: {
      public: publicRoutes(handlers, deps.loginLimits ?? DEFAULT_LOGIN_LIMITS),
      consumer: consumerRoutes(handlers),
      seller: sellerRoutes(handlers),
      admin: adminRoutes(handlers, traced('identity', 'DailyActiveUsers', dailyActiveUsersHandler(activity))),
    },
    revocation,
    users: {
      async ensureUser(user) {
        const existing = await users.findByEmail(normaliseEmail(user.email));
        if (!existing) return handlers.registerUser(user);
        const { passwordHash: _hash, ...publicUser } = existing;
        return publicUser;
      },
    },
  };
}
