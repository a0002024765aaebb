import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScryptPasswordHasher } from '../../src/modules/identity/infrastructure/scrypt-password-hasher.js';
import { createTokenService, resolveTokenSecret } from '../../src/shared/auth/tokens.js';

describe('scrypt password hashing', () => {
  const hasher = createScryptPasswordHasher({ N: 2 ** 12, r: 8, p: 1 });

  it('salts every hash and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hasher.hash('hunter2-hunter2'), hasher.hash('hunter2-hunter2')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$4096\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await hasher.verify('hunter2-hunter2', a)).toBe(true);
    expect(await hasher.verify('hunter2-hunter3', a)).toBe(false);
    expect(await hasher.verify('hunter2-hunter2', 'md5$whatever')).toBe(false);
  });
});

describe('tokens', () => {
  it('round-trips the claims and refuses short secrets', () => {
    const tokens = createTokenService({ secret: 'x'.repeat(32), ttlSeconds: 60 });
    const sub = '6f1c1f8e-2b0a-4c39-9d7e-0a5b7f0e9c11';
    const { token, expiresAt } = tokens.issue({ sub, ctx: 'seller', perms: ['listings:write'], ver: 3 });
    expect(tokens.verify(token)).toMatchObject({ sub, ctx: 'seller', perms: ['listings:write'], ver: 3 });
    // User ids are uuids: a signed token naming anything else is malformed.
    expect(() => tokens.verify(tokens.issue({ sub: 'u1', ctx: 'seller', perms: [] }).token)).toThrow('malformed');
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(() => createTokenService({ secret: 'short' })).toThrow('at least 32');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('remembers a verified token only until it expires, and never a refused one', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-05T04:00:00Z'));
    const tokens = createTokenService({ secret: 'x'.repeat(32), ttlSeconds: 60 });
    const sub = '6f1c1f8e-2b0a-4c39-9d7e-0a5b7f0e9c11';
    const { token } = tokens.issue({ sub, ctx: 'consumer', perms: ['bids:write'] });
    const first = tokens.verify(token);
    expect(tokens.verify(token)).toBe(first); // the second call is answered from the cache
    vi.setSystemTime(new Date('2026-12-05T04:01:00Z')); // exactly exp: still valid, as fast-jwt says
    expect(tokens.verify(token)).toBe(first);
    vi.setSystemTime(new Date('2026-12-05T04:01:00.001Z'));
    expect(() => tokens.verify(token)).toThrow('token expired');
    expect(() => tokens.verify(token)).toThrow('token expired');
    // A token with one character of its signature changed is refused every time, cached or not.
    const fresh = tokens.issue({ sub, ctx: 'consumer', perms: ['bids:write'] }).token;
    tokens.verify(fresh);
    const forged = fresh.slice(0, -2) + (fresh.at(-2) === 'A' ? 'B' : 'A') + fresh.at(-1);
    expect(() => tokens.verify(forged)).toThrow('token invalid');
    expect(() => tokens.verify(forged)).toThrow('token invalid');
  });

  it('makes a random secret per process when none is configured', () => {
    const a = resolveTokenSecret({});
    expect(a.generated).toBe(true);
    expect(a.secret).not.toBe(resolveTokenSecret({}).secret);
    expect(resolveTokenSecret({ AUTH_TOKEN_SECRET: 's'.repeat(40) })).toEqual({
      secret: 's'.repeat(40),
      generated: false,
    });
  });
});
