import type { Static } from '@sinclair/typebox';
import type { ServiceDeclarations } from './declaration.js';

/** Type-level views of a declaration `D`: what makes a misspelt slug or endpoint fail to compile. */
export type SlugOf<D extends ServiceDeclarations> = D[number]['slug'];

export type ServiceOf<D extends ServiceDeclarations, S extends SlugOf<D>> = Extract<D[number], { slug: S }>;

export type EndpointNameOf<D extends ServiceDeclarations, S extends SlugOf<D>> =
  ServiceOf<D, S>['endpoints'][number]['name'];

export type EndpointOf<D extends ServiceDeclarations, S extends SlugOf<D>, E extends EndpointNameOf<D, S>> = Extract<
  ServiceOf<D, S>['endpoints'][number],
  { name: E }
>;

export type BodyOf<D extends ServiceDeclarations, S extends SlugOf<D>, E extends EndpointNameOf<D, S>> = Static<
  EndpointOf<D, S, E>['body']
>;

export type ResponseOf<D extends ServiceDeclarations, S extends SlugOf<D>, E extends EndpointNameOf<D, S>> = Static<
  EndpointOf<D, S, E>['response']
>;
