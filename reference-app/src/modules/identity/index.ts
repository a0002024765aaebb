// identity's public surface: its composition root and the types other code may see.
export { createIdentityModule, type IdentityDeps, type IdentityModule } from './api/module.js';
export type { PublicUser, Role, UserDirectory } from './api/public-types.js';
export type { LoginLimits } from './api/login-throttle.js';
