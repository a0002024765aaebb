import { UnauthenticatedError } from '../../../shared/errors.js';
import type { PasswordHasher, UserRepository } from './ports.js';

/** Told when a user's tokens stop being valid, so this process's revocation cache forgets them at once. */
export type OnRevoked = (userId: string) => void;

/** Log out everywhere: every token issued so far for this user stops working. */
export function revokeSessionsHandler(users: UserRepository, onRevoked: OnRevoked) {
  return async function revokeSessions(userId: string): Promise<void> {
    await users.bumpTokenVersion(userId);
    onRevoked(userId);
  };
}

/**
 * Deletes the caller's account after checking the password again (a stolen token alone must
 * not be enough). What goes: the identity row, i.e. e-mail, display name, password hash and
 * roles; every token of the user stops working. What stays: bids, orders and listings in the
 * other modules, which are also the counterparties' records; they keep the user's id, which
 * no longer resolves to a person (docs/reference-app.md, "Account deletion").
 */
export function deleteAccountHandler(users: UserRepository, hasher: PasswordHasher, onRevoked: OnRevoked) {
  return async function deleteAccount(command: { userId: string; password: string }): Promise<void> {
    const user = await users.findRecordById(command.userId);
    if (!user || !(await hasher.verify(command.password, user.passwordHash))) {
      throw new UnauthenticatedError('password is wrong');
    }
    await users.delete(command.userId);
    onRevoked(command.userId);
  };
}
