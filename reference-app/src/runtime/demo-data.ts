import type { ListingCatalog } from '../modules/catalog/index.js';
import type { UserDirectory } from '../modules/identity/index.js';

/** Demo accounts for a local run; documented in docs/reference-app.md. Never use them elsewhere. */
export const DEMO_USERS = {
  consumer: { email: 'consumer@demo.archfit.dev', password: 'consumer-demo-pass', displayName: 'Demo Consumer' },
  seller: { email: 'seller@demo.archfit.dev', password: 'seller-demo-pass', displayName: 'Demo Seller' },
  admin: { email: 'admin@demo.archfit.dev', password: 'admin-demo-pass', displayName: 'Demo Admin' },
} as const;

const DEMO_LISTINGS = [
  {
    title: 'Mechanical keyboard, brown switches',
    description: 'Tenkeyless, PBT keycaps, barely used.',
    kind: 'fixed-price',
    priceCents: 8_900,
    stock: 5,
  },
  {
    title: 'Espresso grinder',
    description: 'Conical burrs, 40 grind settings.',
    kind: 'fixed-price',
    priceCents: 12_500,
    stock: 3,
  },
  {
    title: 'Road bike, 56 cm frame',
    description: 'Aluminium frame, carbon fork, serviced last month.',
    kind: 'auction',
    priceCents: 30_000,
    stock: 1,
  },
  {
    title: 'First-edition paperback',
    description: 'A classic of software design, signed by the author.',
    kind: 'auction',
    priceCents: 2_000,
    stock: 1,
  },
  {
    title: 'Noise-cancelling headphones',
    description: 'Over-ear, 30 h battery, with case.',
    kind: 'fixed-price',
    priceCents: 19_900,
    stock: 10,
  },
  {
    title: 'Vintage film camera',
    description: '35 mm rangefinder with a 50 mm lens.',
    kind: 'auction',
    priceCents: 15_000,
    stock: 1,
  },
] as const;

export interface DemoSeedTargets {
  users: UserDirectory;
  listings: ListingCatalog;
}

/** Idempotent: a warm start finds everything in place and writes nothing. */
export async function seedDemoData(targets: DemoSeedTargets): Promise<void> {
  const [, seller] = await Promise.all(
    (['consumer', 'seller', 'admin'] as const).map((role) =>
      targets.users.ensureUser({ ...DEMO_USERS[role], roles: [role] }),
    ),
  );
  if ((await targets.listings.listBySeller(seller!.id, 1)).length > 0) return;
  for (const listing of DEMO_LISTINGS) {
    await targets.listings.create({ ...listing, sellerId: seller!.id });
  }
}
