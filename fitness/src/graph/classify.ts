import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/types.js';
import type { FileInfo } from './types.js';

const inside = (file: string, dir: string) => dir === '.' || file.startsWith(`${dir}/`);

/** Places a repo-relative file in the module map: module, layer, context, shared kernel. */
export function createClassifier(config: ResolvedConfig): (file: string) => FileInfo {
  // Longest root first so a nested module wins over its parent.
  const modules = [...config.modules].sort((a, b) => b.root.length - a.root.length);
  const entries = new Set(config.modules.flatMap((m) => m.publicEntries));
  const contexts = config.contexts.map((c) => ({ name: c.name, root: c.root, match: picomatch(c.routeFiles, { dot: true }) }));
  return (file) => {
    const mod = modules.find((m) => inside(file, m.root));
    let layer: string | undefined;
    if (mod) {
      layer = config.layers.names.find((l) => inside(file, `${mod.root}/${config.layers.folders[l]}`));
    }
    // A context's own folder wins; otherwise a route file pattern places the file in a context.
    const context = (contexts.find((c) => inside(file, c.root)) ?? contexts.find((c) => c.match(file)))?.name;
    const info: FileInfo = {
      path: file,
      shared: config.sharedKernel.some((dir) => inside(file, dir)),
      publicEntry: entries.has(file),
    };
    if (mod) info.module = mod.name;
    if (layer) info.layer = layer;
    if (context) info.context = context;
    return info;
  };
}

/** True when `file` lies in one of the context folders (not merely matching a route pattern). */
export function inContextFolder(config: ResolvedConfig, file: string): string | undefined {
  return config.contexts.find((c) => inside(file, c.root))?.name;
}
