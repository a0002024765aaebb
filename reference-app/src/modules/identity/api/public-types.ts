import type { Same } from '../../../shared/type-equality.js';
import type { Role as DomainRole } from '../domain/roles.js';

/** The roles, as the public contract spells them (checked against the domain below). */
export type Role = 'consumer' | 'seller' | 'admin';
const _rolesAgree: Same<Role, DomainRole> = true;
void _rolesAgree;

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
