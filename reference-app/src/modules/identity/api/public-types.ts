import type { Role } from '../domain/roles.js';

/** A user as identity shows it to the outside (never the password hash). */
export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  createdAt: Date;
}

/** What the entry point may do with users: make sure the demo accounts exist. */
export interface UserDirectory {
  /** Creates the user unless one with this email exists (idempotent seeding). */
  ensureUser(user: { email: string; password: string; displayName: string; roles: Role[] }): Promise<PublicUser>;
}

export type { Role };
