import type { Role } from '../domain/roles.js';
import type { User, UserRecord } from '../domain/user.js';

/** Storage of users; implemented in infrastructure with SQL. */
export interface UserRepository {
  /** Inserts, or returns undefined when the email is taken. */
  insert(user: { email: string; displayName: string; roles: Role[]; passwordHash: string }): Promise<User | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<User | undefined>;
  list(page: { limit: number; offset: number }): Promise<User[]>;
  findRecordById(id: string): Promise<UserRecord | undefined>;
  /** The current token version, or undefined when the user does not exist. */
  tokenVersion(id: string): Promise<number | undefined>;
  bumpTokenVersion(id: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A slow, salted password KDF. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time with respect to the password; false for a malformed hash. */
  verify(password: string, encoded: string): Promise<boolean>;
}

export interface SessionTokenIssuer {
  issue(claims: { sub: string; ctx: Role; perms: string[]; ver: number }): { token: string; expiresAt: Date };
}
