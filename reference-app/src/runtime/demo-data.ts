import type { UserDirectory } from '../modules/identity/index.js';

/** Demo accounts for a local run; documented in docs/reference-app.md. Never use them elsewhere. */
export const DEMO_USERS = {
  consumer: { email: 'consumer@demo.archfit.dev', password: 'consumer-demo-pass', displayName: 'Demo Consumer' },
  seller: { email: 'seller@demo.archfit.dev', password: 'seller-demo-pass', displayName: 'Demo Seller' },
  admin: { email: 'admin@demo.archfit.dev', password: 'admin-demo-pass', displayName: 'Demo Admin' },
} as const;

export interface DemoSeedTargets {
  users: UserDirectory;
}

/** Idempotent: a warm start finds everything in place and writes nothing. */
export async function seedDemoData(targets: DemoSeedTargets): Promise<void> {
  await Promise.all(
    (['consumer', 'seller', 'admin'] as const).map((role) =>
      targets.users.ensureUser({ ...DEMO_USERS[role], roles: [role] }),
    ),
  );
}
