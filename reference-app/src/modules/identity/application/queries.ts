import { NotFoundError } from '../../../shared/errors.js';
import type { User } from '../domain/user.js';
import type { UserRepository } from './ports.js';

export function getUserHandler(users: UserRepository) {
  return async function getUser(userId: string): Promise<User> {
    const user = await users.findById(userId);
    if (!user) throw new NotFoundError('user not found');
    return user;
  };
}

export function listUsersHandler(users: UserRepository) {
  return async function listUsers(page: { limit: number; offset: number }): Promise<User[]> {
    return users.list(page);
  };
}
