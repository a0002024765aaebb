import { ConflictError } from '../../../shared/errors.js';
import type { Role } from '../domain/roles.js';
import { assertAcceptablePassword, assertHasRoles, normaliseEmail, type User } from '../domain/user.js';
import type { PasswordHasher, UserRepository } from './ports.js';

export interface RegisterUser {
  email: string;
  password: string;
  displayName: string;
  roles: Role[];
}

export function registerUserHandler(users: UserRepository, hasher: PasswordHasher) {
  return async function registerUser(command: RegisterUser): Promise<User> {
    assertAcceptablePassword(command.password);
    const roles = [...new Set(command.roles)];
    assertHasRoles(roles);
    const passwordHash = await hasher.hash(command.password);
    const user = await users.insert({
      email: normaliseEmail(command.email),
      displayName: command.displayName.trim(),
      roles,
      passwordHash,
    });
    if (!user) {
      throw new ConflictError('a user with this email already exists', [{ field: 'body:/email', message: 'is taken' }]);
    }
    return user;
  };
}
