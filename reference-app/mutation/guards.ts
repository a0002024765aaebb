/**
 * The guards the mutation check breaks, one at a time. Each names the file, the exact text of
 * the guard and what it becomes without it, and the test files that must then fail. A
 * mutation whose `find` text is no longer in the file is reported as "not applied" and fails
 * the check (fail closed: a guard that moved must be re-pointed, not silently skipped).
 */
export interface Guard {
  name: string;
  file: string;
  find: string;
  replace: string;
  tests: string[];
}

const APP = 'reference-app/src';
const T = 'reference-app/test';

export const GUARDS: Guard[] = [
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
    name: 'inbox dedupe ignored (every delivery counts as fresh)',
    file: `${APP}/shared/events/relay.ts`,
    find: '(i.event_id IS NOT NULL) AS fresh',
    replace: 'true AS fresh',
    tests: [`${T}/events/reliability.test.ts`],
  },
  {
    name: 'restock without the ownership condition',
    file: `${APP}/modules/catalog/infrastructure/pg-listing-repository.ts`,
    find: 'WHERE id = $1 AND seller_id = $2 AND stock',
    replace: 'WHERE id = $1 AND $2::uuid IS NOT NULL AND stock',
    tests: [`${T}/http/hostile-input.test.ts`],
  },
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
  },
  {
    name: "conditional-update without status = 'open'",
    file: `${APP}/modules/bidding/infrastructure/strategies/conditional-update.ts`,
    find: "WHERE listing_id = $1 AND status = 'open' AND seller_id <> $4",
    replace: 'WHERE listing_id = $1 AND seller_id <> $4',
    tests: [`${T}/bidding/accept-races.test.ts`],
  },
  {
    name: 'append-only without FOR SHARE of the auction row',
    file: `${APP}/modules/bidding/infrastructure/strategies/append-only.ts`,
    find: '         FOR SHARE OF a\n',
    replace: '',
    tests: [`${T}/bidding/accept-races.test.ts`],
  },
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
    tests: [`${T}/http/auth-matrix.test.ts`],
  },
  {
    name: 'revocation not checked',
    file: `${APP}/shared/auth/context-guard.ts`,
    find: 'await revocation.assertCurrent(claims);',
    replace: 'void revocation;',
    tests: [`${T}/identity/revocation-and-throttling.test.ts`],
  },
  {
    name: 'publish outside the bid transaction (events written after commit)',
    file: `${APP}/modules/bidding/application/place-bid.ts`,
    find: 'await events.placed(tx, placed);',
    replace: 'setTimeout(() => void events.placed(tx, placed).catch(() => {}), 0);',
    tests: [`${T}/bidding/bid-strategies.test.ts`],
  },
];
