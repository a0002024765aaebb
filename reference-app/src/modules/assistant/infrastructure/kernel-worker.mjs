// Entry of a piscina worker thread. Worker threads do not inherit the TypeScript loader of
// whatever started the app (vitest, tsx, or plain node), so this plain-JS file loads the
// TypeScript kernel itself through tsx's scoped import API: one kernel source, no build step,
// and it works the same under `tsx`, vitest and Node 20 / 22 / 24.
import { tsImport } from 'tsx/esm/api';

const kernel = await tsImport('../../../../services/models/engine/kernel.ts', import.meta.url);

export default function runEmbed(body) {
  return kernel.runEmbed(body);
}
