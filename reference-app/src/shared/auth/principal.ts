import type { RouteAuth } from '../module.js';
import type { LoginContext } from './contexts.js';

/** Who is calling, as the context hook established it from a verified token. */
export interface Principal {
  userId: string;
  context: LoginContext;
  permissions: ReadonlySet<string>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares exactly one context and the permission it needs. */
    auth?: RouteAuth;
  }
  /*
   * Each decorator exists only inside its own context's scope (the context plugin calls
   * decorateRequest there, and context plugins are not wrapped with fastify-plugin), so a
   * seller route reading `request.consumer` gets undefined at run time. The types cannot
   * express scopes; the start-up check and the auth matrix test do.
   */
  interface FastifyRequest {
    consumer: Principal;
    seller: Principal;
    admin: Principal;
  }
}
