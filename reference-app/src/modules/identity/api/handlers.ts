import type { logInHandler } from '../application/log-in.js';
import type { getUserHandler, listUsersHandler } from '../application/queries.js';
import type { registerUserHandler } from '../application/register-user.js';

/** The use cases the routes call, already wrapped in spans. */
export interface IdentityHandlers {
  registerUser: ReturnType<typeof registerUserHandler>;
  logIn: ReturnType<typeof logInHandler>;
  getUser: ReturnType<typeof getUserHandler>;
  listUsers: ReturnType<typeof listUsersHandler>;
}
