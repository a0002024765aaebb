/**
 * Compile-time contract of the typed client. `tsc -p reference-app` (part of `npm test`) checks
 * this file: each `@ts-expect-error` line must fail to compile, or tsc reports the directive as
 * unused and the type-check fails. Never executed.
 */
import type { ServiceCatalog, Services } from '../../src/shared/services/index.js';

export async function typedClientContract(catalog: ServiceCatalog<Services>): Promise<void> {
  const models = catalog.client('models');

  // The happy path compiles, and the response is typed from the declared schema.
  const embedded = await models.call('embed', { texts: ['a bike'], dimensions: 64 });
  const first: number | undefined = embedded.vectors[0]?.[0];
  const scanned = await models.call('scanReceipt', { image: 'iVBORw0KGgo=' });
  const total: number | null = scanned.total.value;
  void first;
  void total;

  // @ts-expect-error a misspelt slug is not a declared service
  catalog.client('modles');

  // @ts-expect-error a misspelt endpoint is not declared for this service
  await models.call('embedd', { texts: ['a bike'] });

  // @ts-expect-error the body of embed needs `texts: string[]`, not a string
  await models.call('embed', { texts: 'a bike' });

  // @ts-expect-error scanReceipt's body is not embed's body
  await models.call('scanReceipt', { texts: ['a bike'] });

  // @ts-expect-error a field is { value, confidence }, not a bare number
  const bare: number | null = scanned.total;
  void bare;

  // @ts-expect-error the response is typed: vectors are numbers, not strings
  const wrong: string = embedded.vectors[0]![0]!;
  void wrong;

  // @ts-expect-error health is asked of declared slugs only
  catalog.healthState('parser');
}
