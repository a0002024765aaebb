/**
 * A role is the right to log into one auth context; the role's permissions go into the token.
 * Keeping the mapping here (pure data) lets every module's routes declare a permission string
 * and lets the login decide what a token may do without asking any other module.
 */
export const ROLES = ['consumer', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Permissions a token for each context carries. Modules add theirs here when they add routes. */
export const PERMISSIONS_OF_ROLE: Readonly<Record<Role, readonly string[]>> = {
  consumer: [
    'profile:read',
    'listings:read',
    'bids:write',
    'bids:read',
    'orders:write',
    'orders:read',
    'notifications:read',
    'assistant:use',
    'account:write',
  ],
  seller: [
    'profile:read',
    'listings:write',
    'listings:read',
    'bids:read',
    'bids:accept',
    'orders:read',
    'notifications:read',
    'assistant:use',
    'account:write',
  ],
  admin: [
    'users:read',
    'users:write',
    'orders:read',
    'listings:read',
    'events:read',
    'events:write',
    'services:read',
    'bids:metrics',
  ],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles anyone may give themselves at sign-up; admin is granted by an admin only. */
export const SELF_SERVICE_ROLES: readonly Role[] = ['consumer', 'seller'];
