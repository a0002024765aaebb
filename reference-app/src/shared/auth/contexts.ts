import type { AuthContextName } from '../module.js';

/** URL prefix of each auth context's scope. A route outside its context's prefix refuses boot. */
export const CONTEXT_PREFIX: Readonly<Record<AuthContextName, string>> = {
  consumer: '/api/consumer',
  seller: '/api/seller',
  admin: '/api/admin',
  public: '/api/public',
};

/** Operational paths that belong to the public context but live outside `/api/public`. */
export const PUBLIC_OPS_PREFIXES: readonly string[] = ['/health', '/ready', '/docs'];

/** The contexts a person logs into; `public` needs no token. */
export const LOGIN_CONTEXTS = ['consumer', 'seller', 'admin'] as const;
export type LoginContext = (typeof LOGIN_CONTEXTS)[number];

/** The permission a public route declares: nobody needs anything. */
export const PUBLIC_PERMISSION = 'public';

export function isUnderPrefix(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`);
}
