/**
 * The guards the mutation check breaks, one at a time. Each names the file, the exact text of
 * the guard and what it becomes without it (the bug a real change could introduce), and the
 * test files that must then fail. A mutation whose `find` text is no longer in the file is
 * reported as "not applied" and fails the check (fail closed: a guard that moved must be
 * re-pointed, not silently skipped).
 *
 * A mutation keeps every query parameter in its statement, typed (`$2::uuid IS NOT NULL` for a
 * dropped `seller_id = $2`): PostgreSQL refuses a statement with an unused parameter, and a
 * mutation that fails every query is caught for the wrong reason.
 *
 * Conditions stated twice on purpose (defence in depth) are broken together, in one guard
 * (`count` or `also`): breaking one of them alone changes nothing a test could see, and is not
 * the bug being guarded against. Those are named in the guard.
 */
export interface Edit {
  find: string;
  replace: string;
  /** Occurrences of `find` that must exist and are all replaced (default 1: the first). */
  count?: number;
}

export interface Guard extends Edit {
  name: string;
  file: string;
  /** Further edits in the same file belonging to the same bug. */
  also?: Edit[];
  tests: string[];
  /** vitest -t: only the tests whose full name matches (keeps the run short). */
  testName?: string;
}

const APP = 'reference-app/src';
const T = 'reference-app/test';

const ownershipTest = `${T}/http/ownership.test.ts`;
const publishTest = `${T}/events/publish-in-transaction.test.ts`;
const throttleTest = `${T}/identity/revocation-and-throttling.test.ts`;
const hostileTest = `${T}/http/hostile-input.test.ts`;
const boundsTest = `${T}/http/quantity-bounds.test.ts`;

/** A bid strategy that publishes in a transaction of its own instead of the bid's. */
const publishBeside = (strategy: string): Guard => ({
  name: `publish outside the bid transaction (${strategy}: events in a transaction of their own)`,
  file: `${APP}/modules/bidding/infrastructure/strategies/${strategy}.ts`,
  find: 'await afterPlace(tx, placed);',
  replace: 'await withTransaction(pool, (own) => afterPlace(own, placed));',
  tests: [publishTest],
  testName: `bid placement with ${strategy} `,
});

export const GUARDS: Guard[] = [
  // --- the relay: claim token, lock, lease, inbox ------------------------------------------
  {
    name: 'delivery ignores the claim token',
    file: `${APP}/shared/events/relay.ts`,
    find: 'WHERE id = ANY($1::bigint[]) AND claim_token = $2 AND status',
    replace: 'WHERE id = ANY($1::bigint[]) AND $2::uuid IS NOT NULL AND status',
    tests: [`${T}/events/claim-guards.test.ts`, `${T}/events/reliability.test.ts`],
  },
  {
    name: 'relay claim without FOR UPDATE SKIP LOCKED',
    file: `${APP}/shared/events/claim-query.ts`,
    find: '     FOR UPDATE SKIP LOCKED\n',
    replace: '',
    tests: [`${T}/events/claim-guards.test.ts`],
  },
  {
    // Stated in the keyless scan and again in the final candidates (which re-checks rows a
    // concurrent claim leased after this statement's snapshot): both go.
    name: 'relay claim ignores a live lease (keyless rows)',
    file: `${APP}/shared/events/claim-query.ts`,
    find: 'AND (p.claimed_until IS NULL OR p.claimed_until < clock_timestamp())',
    replace: 'AND true',
    count: 2,
    tests: [`${T}/events/relay-lease.test.ts`],
  },
  {
    name: "relay claim ignores the lease on a key's oldest row (its next row overtakes it)",
    file: `${APP}/shared/events/claim-query.ts`,
    find: 'WHERE head.available_at > clock_timestamp() OR head.claimed_until >= clock_timestamp())',
    replace: 'WHERE head.available_at > clock_timestamp())',
    tests: [`${T}/events/relay-lease.test.ts`],
  },
  {
    name: 'relay claim grants no lease (claimed_until = now)',
    file: `${APP}/shared/events/claim-query.ts`,
    find: "claimed_until = clock_timestamp() + $4::int * interval '1 millisecond',",
    // $4 stays in the statement (typed): a parameter left unused would fail every claim instead.
    replace: "claimed_until = clock_timestamp() + 0 * $4::int * interval '1 millisecond',",
    tests: [`${T}/events/relay-lease.test.ts`],
  },
  {
    name: 'inbox dedupe ignored (every delivery counts as fresh)',
    file: `${APP}/shared/events/relay.ts`,
    find: '(i.event_id IS NOT NULL) AS fresh',
    replace: 'true AS fresh',
    tests: [`${T}/events/reliability.test.ts`],
  },

  // --- publish in the business transaction --------------------------------------------------
  {
    name: 'publish outside the bid transaction (events written after commit)',
    file: `${APP}/modules/bidding/application/place-bid.ts`,
    find: 'await events.placed(tx, placed);',
    replace: 'setTimeout(() => void events.placed(tx, placed).catch(() => {}), 0);',
    tests: [publishTest],
    testName: 'bid placement with conditional-update ',
  },
  publishBeside('conditional-update'),
  publishBeside('row-lock'),
  publishBeside('optimistic'),
  publishBeside('append-only'),
  {
    name: 'publish outside the checkout transaction',
    file: `${APP}/modules/orders/application/check-out.ts`,
    find: 'await events.placed(tx, order);',
    replace: 'await transaction((own) => events.placed(own, order));',
    tests: [publishTest],
    testName: 'checkout fails at commit',
  },
  {
    name: 'publish outside the accept-bid transaction',
    file: `${APP}/modules/orders/application/accept-bid-into-order.ts`,
    find: 'await events.placed(tx, order);',
    replace: 'await transaction((own) => events.placed(own, order));',
    tests: [publishTest],
    testName: 'accepting a bid fails at commit',
  },

  // --- stock and bidding races --------------------------------------------------------------
  {
    name: 'takeStock without stock >= quantity',
    file: `${APP}/modules/catalog/infrastructure/pg-listing-repository.ts`,
    find: "AND status = 'active' AND stock >= $2",
    replace: "AND status = 'active'",
    tests: [`${T}/orders/stock-limits.test.ts`],
  },
  {
    name: 'accept without FOR UPDATE OF a',
    file: `${APP}/modules/bidding/infrastructure/pg-bid-repository.ts`,
    find: 'WHERE b.id = $1 FOR UPDATE OF a',
    replace: 'WHERE b.id = $1',
    tests: [`${T}/bidding/accept-races.test.ts`],
  },
  {
    name: 'accept does not bump the auction version',
    file: `${APP}/modules/bidding/infrastructure/pg-bid-repository.ts`,
    find: "status = 'closed', closed_at = now(), version = version + 1",
    replace: "status = 'closed', closed_at = now()",
    tests: [`${T}/bidding/accept-races.test.ts`],
    testName: 'strategy optimistic ',
  },
  {
    name: "conditional-update without status = 'open'",
    file: `${APP}/modules/bidding/infrastructure/strategies/conditional-update.ts`,
    find: "WHERE listing_id = $1 AND status = 'open' AND seller_id <> $4",
    replace: 'WHERE listing_id = $1 AND seller_id <> $4',
    tests: [`${T}/bidding/accept-races.test.ts`],
    testName: 'strategy conditional-update ',
  },
  {
    name: 'append-only without FOR SHARE of the auction row',
    file: `${APP}/modules/bidding/infrastructure/strategies/append-only.ts`,
    find: '         FOR SHARE OF a\n',
    replace: '',
    tests: [`${T}/bidding/accept-races.test.ts`],
    testName: 'strategy append-only ',
  },

  // --- context, permission, revocation ------------------------------------------------------
  {
    name: 'context check skipped',
    file: `${APP}/shared/auth/context-guard.ts`,
    find: 'if (claims.ctx !== context) {',
    replace: 'if (claims.ctx !== context && false) {',
    tests: [`${T}/http/auth-matrix.test.ts`],
  },
  {
    name: 'permission check skipped',
    file: `${APP}/shared/auth/context-guard.ts`,
    find: 'if (!claims.perms.includes(auth.permission)) {',
    replace: 'if (!claims.perms.includes(auth.permission) && false) {',
    // auth-matrix's 403 case names a user that does not exist (revocation would still say 401).
    tests: [`${T}/http/permission-check.test.ts`],
  },
  {
    name: 'revocation not checked',
    file: `${APP}/shared/auth/context-guard.ts`,
    find: 'await revocation.assertCurrent(claims);',
    replace: 'void revocation;',
    tests: [throttleTest],
    testName: 'token revocation',
  },
  {
    name: 'revoked token version accepted',
    file: `${APP}/shared/auth/revocation.ts`,
    find: 'if (entry.version !== claims.ver) throw',
    replace: 'if (entry.version !== claims.ver && false) throw',
    tests: [throttleTest],
    testName: 'token revocation',
  },
  {
    name: 'revocation cache kept after this process revoked (old tokens live until it expires)',
    file: `${APP}/shared/auth/revocation.ts`,
    find: 'cache.delete(userId);',
    replace: 'void userId;',
    tests: [throttleTest],
    testName: 'token revocation',
  },

  // --- login throttling ---------------------------------------------------------------------
  {
    name: 'login not throttled per account',
    file: `${APP}/modules/identity/api/login-throttle.ts`,
    find: "await refuseWhenExceeded(request, perAccount, 'login attempts for this account');",
    replace: 'void perAccount;',
    tests: [throttleTest],
    testName: 'login throttling',
  },
  {
    name: 'login not throttled per client address',
    file: `${APP}/modules/identity/api/login-throttle.ts`,
    find: "await refuseWhenExceeded(request, perIp, 'login attempts from this address');",
    replace: 'void perIp;',
    tests: [throttleTest],
    testName: 'login throttling',
  },
  {
    name: 'login throttle keyed by the e-mail as typed (case variants dodge the limit)',
    file: `${APP}/modules/identity/api/login-throttle.ts`,
    find: 'keyGenerator: (r) => `account:${normaliseEmail((r.body as { email: string }).email)}`',
    replace: 'keyGenerator: (r) => `account:${(r.body as { email: string }).email}`',
    tests: [throttleTest],
    testName: 'login throttling',
  },

  // --- Idempotency-Key ----------------------------------------------------------------------
  {
    name: 'Idempotency-Key ignored',
    file: `${APP}/shared/idempotency.ts`,
    find: 'if (!key) return write(rememberNothing);',
    replace: 'return write(rememberNothing);',
    tests: [`${T}/orders/idempotency-keys.test.ts`],
  },
  {
    name: "Idempotency-Key: the loser of a race is not answered the winner's result",
    file: `${APP}/shared/idempotency.ts`,
    find: 'if (raced !== undefined) return raced;',
    replace: 'void raced;',
    tests: [`${T}/orders/idempotency-keys.test.ts`],
  },
  {
    name: 'Idempotency-Key reused for a different request is replayed',
    file: `${APP}/shared/idempotency.ts`,
    find: 'if (found.fingerprint !== fingerprint) {',
    replace: 'if (found.fingerprint !== fingerprint && false) {',
    tests: [`${T}/orders/idempotency-keys.test.ts`],
  },

  // --- strict query parsing with bounds -----------------------------------------------------
  {
    name: 'URL integers read loosely (1e309, 0x10, " 5")',
    file: `${APP}/shared/http/strict-input.ts`,
    find: "if (typeof value === 'string' && !PLAIN_INTEGER.test(value)) {",
    replace: 'if (false) {',
    tests: [hostileTest],
    testName: 'strict query parsing',
  },
  {
    name: 'strict URL integer check not wired to the validator',
    file: `${APP}/shared/http/validation.ts`,
    find: 'withStrictInput(validate, fromText ? numericProperties(route.schema) : [])',
    replace: 'withStrictInput(validate, [])',
    tests: [hostileTest],
    testName: 'strict query parsing',
  },
  {
    name: 'limit without its upper bound',
    file: `${APP}/shared/http/schemas.ts`,
    find: 'Type.Integer({ minimum: 1, maximum: 100, default: 20 })',
    replace: 'Type.Integer({ minimum: 1, default: 20 })',
    tests: [hostileTest],
    testName: 'strict query parsing',
  },
  {
    name: 'offset without its bounds',
    file: `${APP}/shared/http/schemas.ts`,
    find: 'Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })',
    replace: 'Type.Integer({ default: 0 })',
    tests: [hostileTest],
    testName: 'strict query parsing',
  },

  // --- unstorable text ----------------------------------------------------------------------
  {
    name: 'NUL accepted in text',
    file: `${APP}/shared/http/strict-input.ts`,
    find: "return !text.includes('\\u0000') && !LONE_SURROGATE.test(text);",
    replace: 'return !LONE_SURROGATE.test(text);',
    tests: [hostileTest],
    testName: 'unstorable text',
  },
  {
    name: 'lone surrogates accepted in text',
    file: `${APP}/shared/http/strict-input.ts`,
    find: "return !text.includes('\\u0000') && !LONE_SURROGATE.test(text);",
    replace: "return !text.includes('\\u0000');",
    tests: [hostileTest],
    testName: 'unstorable text',
  },
  {
    name: 'unstorable-text check not wired to the validator',
    file: `${APP}/shared/http/validation.ts`,
    find: 'malformedNumbers(data, numeric) ?? unstorableText(data)',
    replace: 'malformedNumbers(data, numeric)',
    tests: [hostileTest],
    testName: 'unstorable text',
  },

  // --- upper bounds on quantities -----------------------------------------------------------
  {
    name: 'restock total not bounded in SQL (racing restocks pass MAX_STOCK)',
    file: `${APP}/modules/catalog/infrastructure/pg-listing-repository.ts`,
    find: ' AND stock <= $4::int - $3::int',
    replace: ' AND $4::int IS NOT NULL',
    tests: [hostileTest],
    testName: 'quantities',
  },
  {
    name: 'restock quantity without its upper bound',
    file: `${APP}/modules/catalog/api/schemas.ts`,
    find: 'RestockBody = Body({ quantity: Type.Integer({ minimum: 1, maximum: MAX_STOCK }) })',
    replace: 'RestockBody = Body({ quantity: Type.Integer({ minimum: 1 }) })',
    tests: [boundsTest],
  },
  {
    name: 'listing stock without its upper bound in the schema',
    file: `${APP}/modules/catalog/api/schemas.ts`,
    find: '  stock: Type.Integer({ minimum: 1, maximum: MAX_STOCK }),',
    replace: '  stock: Type.Integer({ minimum: 1 }),',
    tests: [boundsTest],
  },
  {
    name: 'listing price without its upper bound',
    file: `${APP}/modules/catalog/api/schemas.ts`,
    find: 'const Price = Type.Integer({ minimum: 1, maximum: 100_000_000 });',
    replace: 'const Price = Type.Integer({ minimum: 1 });',
    tests: [boundsTest],
  },
  {
    name: 'checkout quantity without its upper bound',
    file: `${APP}/modules/orders/api/schemas.ts`,
    find: 'quantity: Type.Integer({ minimum: 1, maximum: 1000 })',
    replace: 'quantity: Type.Integer({ minimum: 1 })',
    tests: [boundsTest],
  },
  {
    name: 'bid amount without its upper bound',
    file: `${APP}/shared/http/schemas.ts`,
    find: 'AmountCents = Type.Integer({ minimum: 1, maximum: 100_000_000 })',
    replace: 'AmountCents = Type.Integer({ minimum: 1 })',
    tests: [boundsTest],
  },

  // --- ownership: every "only your own" condition -------------------------------------------
  {
    name: 'restock without the ownership condition',
    file: `${APP}/modules/catalog/infrastructure/pg-listing-repository.ts`,
    find: 'WHERE id = $1 AND seller_id = $2 AND stock',
    replace: 'WHERE id = $1 AND $2::uuid IS NOT NULL AND stock',
    tests: [hostileTest],
    testName: 'quantities',
  },
  {
    name: "restock refusal confirms another seller's listing exists (422 instead of 404)",
    file: `${APP}/modules/catalog/application/commands.ts`,
    find: 'if (!current || current.sellerId !== command.sellerId) throw',
    replace: 'if (!current) throw',
    tests: [hostileTest],
    testName: 'quantities',
  },
  {
    name: "seller's listings without the seller condition",
    file: `${APP}/modules/catalog/infrastructure/pg-listing-repository.ts`,
    find: 'if (query.sellerId) add(',
    replace: 'if (query.sellerId && false) add(',
    tests: [ownershipTest],
  },
  {
    name: "accepting another seller's bid",
    file: `${APP}/modules/bidding/infrastructure/pg-bid-repository.ts`,
    find: 'if (!row || row.seller_id !== sellerId) throw',
    replace: 'if (!row) throw',
    tests: [`${T}/orders/accept-bid-transaction.test.ts`],
    testName: "another seller's bid",
  },
  {
    name: "bids on another seller's listing readable",
    file: `${APP}/modules/bidding/application/queries.ts`,
    find: 'if (seller !== sellerId) throw',
    replace: 'if (seller !== sellerId && false) throw',
    tests: [ownershipTest],
  },
  {
    name: "a consumer's bids without the bidder condition",
    file: `${APP}/modules/bidding/infrastructure/pg-bid-repository.ts`,
    find: 'FROM bidding.bids WHERE bidder_id = $1 ORDER BY',
    replace: 'FROM bidding.bids WHERE $1::uuid IS NOT NULL ORDER BY',
    tests: [ownershipTest],
  },
  {
    name: "a consumer's orders without the buyer condition",
    file: `${APP}/modules/orders/infrastructure/pg-order-repository.ts`,
    find: '($1::uuid IS NULL OR buyer_id = $1)',
    replace: '($1::uuid IS NULL OR true)',
    tests: [ownershipTest],
  },
  {
    name: "a seller's orders without the seller condition",
    file: `${APP}/modules/orders/infrastructure/pg-order-repository.ts`,
    find: '($2::uuid IS NULL OR seller_id = $2)',
    replace: '($2::uuid IS NULL OR true)',
    tests: [ownershipTest],
  },
  {
    name: 'notifications listed without the recipient condition',
    file: `${APP}/modules/notifications/infrastructure/pg-notification-store.ts`,
    find: 'FROM notifications.notification WHERE recipient_id = $1',
    replace: 'FROM notifications.notification WHERE $1::uuid IS NOT NULL',
    tests: [ownershipTest],
  },
  {
    name: "marking another user's notification read",
    file: `${APP}/modules/notifications/infrastructure/pg-notification-store.ts`,
    find: 'WHERE id = $1 AND recipient_id = $2',
    replace: 'WHERE id = $1 AND $2::uuid IS NOT NULL',
    tests: [ownershipTest],
  },
  {
    name: "a bid Idempotency-Key found across bidders (another bidder's bid replayed)",
    file: `${APP}/modules/bidding/infrastructure/pg-bid-repository.ts`,
    find: 'WHERE k.bidder_id = $1 AND k.key = $2',
    replace: 'WHERE $1::uuid IS NOT NULL AND k.key = $2',
    tests: [ownershipTest],
  },
  {
    name: "a checkout Idempotency-Key found across buyers (another buyer's order replayed)",
    file: `${APP}/modules/orders/infrastructure/pg-order-repository.ts`,
    find: 'WHERE k.buyer_id = $1 AND k.key = $2',
    replace: 'WHERE $1::uuid IS NOT NULL AND k.key = $2',
    tests: [ownershipTest],
  },
  {
    name: 'checkout of your own listing',
    file: `${APP}/modules/orders/application/check-out.ts`,
    find: 'assertNotOwnListing(command.buyerId, listing.sellerId);',
    replace: 'void listing;',
    tests: [`${T}/orders/accept-bid-transaction.test.ts`],
    testName: 'your own listing',
  },
  {
    name: 'seller bids on their own listing (rule in code: row-lock, optimistic)',
    file: `${APP}/modules/bidding/domain/auction.ts`,
    find: 'if (auction.sellerId === bid.bidderId) return',
    replace: 'if (auction.sellerId === bid.bidderId && false) return',
    tests: [`${T}/bidding/bid-strategies.test.ts`],
    testName: 'seller bidding on their listing',
  },
  {
    name: 'seller bids on their own listing (conditional-update SQL)',
    file: `${APP}/modules/bidding/infrastructure/strategies/conditional-update.ts`,
    find: "status = 'open' AND seller_id <> $4",
    replace: "status = 'open'",
    tests: [`${T}/bidding/bid-strategies.test.ts`],
    testName: 'conditional-update .*seller bidding on their listing',
  },
  {
    name: 'seller bids on their own listing (append-only SQL)',
    file: `${APP}/modules/bidding/infrastructure/strategies/append-only.ts`,
    find: "a.status = 'open' AND a.seller_id <> $3",
    replace: "a.status = 'open'",
    tests: [`${T}/bidding/bid-strategies.test.ts`],
    testName: 'append-only .*seller bidding on their listing',
  },
];
