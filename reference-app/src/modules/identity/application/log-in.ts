import { ForbiddenError, UnauthenticatedError } from '../../../shared/errors.js';
import { PERMISSIONS_OF_ROLE, type Role } from '../domain/roles.js';
import { normaliseEmail } from '../domain/user.js';
import type { PasswordHasher, SessionTokenIssuer, UserRepository } from './ports.js';

export interface LogIn {
  email: string;
  password: string;
  context: Role;
}

export interface Session {
  token: string;
  expiresAt: Date;
  context: Role;
  userId: string;
}

/**
 * Checks the password, then issues a token for exactly one context, and only if the user
 * holds that context's role. Unknown email and wrong password get the same answer and cost
 * the same time (a hash is verified either way), so the endpoint does not reveal who exists.
 */
export function logInHandler(
  users: UserRepository,
  hasher: PasswordHasher,
  tokens: SessionTokenIssuer,
  decoyHash: Promise<string>,
) {
  return async function logIn(command: LogIn): Promise<Session> {
    const user = await users.findByEmail(normaliseEmail(command.email));
    const passwordOk = await hasher.verify(command.password, user?.passwordHash ?? (await decoyHash));
    if (!user || !passwordOk) throw new UnauthenticatedError('email or password is wrong');
    if (!user.roles.includes(command.context)) {
      throw new ForbiddenError(`this user has no ${command.context} role`);
    }
    const perms = [...PERMISSIONS_OF_ROLE[command.context]];
    const issued = tokens.issue({ sub: user.id, ctx: command.context, perms, ver: user.tokenVersion });
    return { ...issued, context: command.context, userId: user.id };
  };
}
