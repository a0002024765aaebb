import { RuleViolationError } from '../../../shared/errors.js';
import type { Role } from './roles.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  createdAt: Date;
}

/** A user as stored: with the password hash, which never leaves the module. */
export interface UserRecord extends User {
  passwordHash: string;
  /** Goes into every token; bumping it revokes them all. */
  tokenVersion: number;
}

export const PASSWORD_MIN_LENGTH = 8;

/** Emails compare case-insensitively and without surrounding blanks; store them that way. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertAcceptablePassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new RuleViolationError(`password must have at least ${PASSWORD_MIN_LENGTH} characters`, [
      { field: 'body:/password', message: `must have at least ${PASSWORD_MIN_LENGTH} characters` },
    ]);
  }
}

export function assertHasRoles(roles: readonly Role[]): void {
  if (roles.length === 0) {
    throw new RuleViolationError('a user needs at least one role', [
      { field: 'body:/roles', message: 'must not be empty' },
    ]);
  }
}
