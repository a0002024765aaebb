import { services } from '../../../src/shared/services/index.js';

/**
 * The real models declaration with test cadences: probes every 100 ms, degraded after
 * 300 ms and down after 600 ms of silence, so transitions happen within a second.
 */
const models = services[0];
export const fastModels = [
  { ...models, health: { intervalSeconds: 0.1, degradedAfterSeconds: 0.3, downAfterSeconds: 0.6 } },
] as const;

export async function waitFor<T>(what: string, read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
    last = await read();
  }
  return last;
}
