import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/types.js';
import type { FileInfo } from './types.js';

const inside = (file: string, dir: string) => dir === '.' || file.startsWith(`${dir}/`);

/** Places a repo-relative file in the module map: module, layer, context, shared kernel. */
export function createClassifier(config: ResolvedConfig): (file: string) => FileInfo {
  // Roots by folder path: a file's module is its nearest ancestor folder that is a module
  // root (so a nested module wins), found in O(depth) instead of scanning every module.
  const moduleByRoot = new Map(config.modules.map((m) => [m.root, m]));
  const entries = new Set(config.modules.flatMap((m) => m.publicEntries));
  const layerByFolder = new Map(config.layers.names.map((l) => [config.layers.folders[l]!, l]));
  const contextByRoot = new Map(config.contexts.map((c) => [c.root, c.name]));
  const routeMatchers = config.contexts.map((c) => ({ name: c.name, match: picomatch(c.routeFiles, { dot: true }) }));
  const nearest = <T>(file: string, map: Map<string, T>): [string, T] | undefined => {
    for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1)) {
      const dir = file.slice(0, i);
      const hit = map.get(dir);
      if (hit !== undefined) return [dir, hit];
    }
    return map.has('.') ? ['.', map.get('.')!] : undefined;
  };
  const shared = config.sharedKernel.map((dir) => (dir === '.' ? '' : `${dir}/`));
  return (file) => {
    const mod = nearest(file, moduleByRoot);
    let layer: string | undefined;
    if (mod) {
      const rest = mod[0] === '.' ? file : file.slice(mod[0].length + 1);
      // Layer folders may be nested (`src/domain`): try each ancestor inside the module.
      for (let i = rest.indexOf('/'); i > 0 && !layer; i = rest.indexOf('/', i + 1)) layer = layerByFolder.get(rest.slice(0, i));
    }
    // A context's own folder wins; otherwise a route file pattern places the file in a context.
    const context = nearest(file, contextByRoot)?.[1] ?? (routeMatchers.length ? routeMatchers.find((c) => c.match(file))?.name : undefined);
    const info: FileInfo = {
      path: file,
      shared: shared.some((prefix) => file.startsWith(prefix)),
      publicEntry: entries.has(file),
    };
    if (mod) info.module = mod[1].name;
    if (layer) info.layer = layer;
    if (context) info.context = context;
    return info;
  };
}

/** True when `file` lies in one of the context folders (not merely matching a route pattern). */
export function inContextFolder(config: ResolvedConfig, file: string): string | undefined {
  return config.contexts.find((c) => inside(file, c.root))?.name;
}
