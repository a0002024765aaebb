import type { logInHandler } from '../application/log-in.js';
import type { getUserHandler, listUsersHandler } from '../application/queries.js';
import type { registerUserHandler } from '../application/register-user.js';
import type { deleteAccountHandler, revokeSessionsHandler } from '../application/sessions.js';

/** The use cases the routes call, already wrapped in spans. */
export interface IdentityHandlers {
  registerUser: ReturnType<typeof registerUserHandler>;
  logIn: ReturnType<typeof logInHandler>;
  getUser: ReturnType<typeof getUserHandler>;
  listUsers: ReturnType<typeof listUsersHandler>;
  revokeSessions: ReturnType<typeof revokeSessionsHandler>;
  deleteAccount: ReturnType<typeof deleteAccountHandler>;
}
