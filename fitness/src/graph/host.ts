import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';

/** Build output folder -> source folder of one workspace package (absolute paths). */
export interface OutputMapping {
  out: string;
  src: string;
}

/**
 * Output extension -> the source extensions it is compiled from: tsc's own pairs first
 * (`.mts` -> `.mjs`), then a bundler's (tsdown, tsup and unbuild emit `.mjs`, `.cjs`, `.d.mts`
 * and `.d.cts` from one `.ts` source).
 */
const SOURCE_OF: [string, string[]][] = [
  ['.d.mts', ['.mts', '.ts', '.tsx']],
  ['.d.cts', ['.cts', '.ts', '.tsx']],
  ['.d.ts', ['.ts', '.tsx']],
  ['.mjs', ['.mts', '.mjs', '.ts', '.tsx']],
  ['.cjs', ['.cts', '.cjs', '.ts', '.tsx']],
  ['.js', ['.ts', '.tsx', '.js', '.jsx']],
];

/**
 * The file system as TypeScript's resolver sees it, with two overlays that make a monorepo
 * resolve the way it does once installed and built, without either having happened:
 *
 * - `<root>/node_modules/<workspace name>` is the workspace folder (what npm, yarn and pnpm
 *   link), so `exports`, `types` and conditions are TypeScript's own decision.
 * - a workspace package's build output (`dist/x.d.ts`, `dist/x.js`) exists when its source
 *   (`src/x.ts`) does, and `sourceOf` maps it back, so the graph points at source files.
 *
 * Every answer is memoised: the resolver asks about the same paths many times.
 */
export class ResolutionHost implements TS.ModuleResolutionHost {
  private readonly files = new Map<string, boolean>();
  private readonly dirs = new Map<string, boolean>();
  private readonly real = new Map<string, string>();
  /** node_modules/<name> prefixes -> workspace folder. */
  private readonly linked: [string, string][];
  private readonly kinds = new Map<string, 'file' | 'dir' | 'none'>();
  /** Every JSON file read (tsconfigs and their `extends` chains, package.json) and every declaration file read for ambient modules: what a resolution cache depends on. */
  readonly read = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly known: ReadonlySet<string>,
    workspaces: Map<string, string>,
    private readonly outputs: OutputMapping[],
  ) {
    this.linked = [...workspaces].map(([name, dir]) => [path.join(root, 'node_modules', name), path.join(root, dir)]);
  }

  fileExists = (abs: string): boolean => {
    const rel = this.rel(abs);
    if (rel !== undefined && this.known.has(rel)) return true;
    return memo(this.files, abs, () => this.isFile(this.unlink(abs)) || this.sourceOf(abs) !== undefined);
  };

  directoryExists = (abs: string): boolean =>
    memo(this.dirs, abs, () => {
      const target = this.unlink(abs);
      if (this.isDir(target)) return true;
      // `<root>/node_modules` and `<root>/node_modules/@scope` exist once workspaces are linked.
      if (this.linked.some(([link]) => link.startsWith(`${abs}${path.sep}`))) return true;
      const out = this.outputs.find((o) => target.startsWith(`${o.out}${path.sep}`) || target === o.out);
      return out ? this.isDir(out.src + target.slice(out.out.length)) : false;
    });

  readFile = (abs: string): string | undefined => {
    const target = this.unlink(abs);
    // tsconfigs, every file of their `extends` chains (any name) and package.json files.
    if (target.endsWith('.json')) this.read.add(target);
    try {
      return readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  };

  realpath = (p: string): string =>
    memo(this.real, p, () => {
      const target = this.unlink(p);
      try {
        return realpathSync(target);
      } catch {
        return target;
      }
    });

  getCurrentDirectory = (): string => this.root;

  /** Sub-folders (for the `@types` packages TypeScript includes when `types` is unset). */
  getDirectories = (abs: string): string[] => {
    try {
      return readdirSync(this.unlink(abs), { withFileTypes: true })
        .filter((e) => e.isDirectory() || (e.isSymbolicLink() && this.isDir(path.join(abs, e.name))))
        .map((e) => e.name);
    } catch {
      return [];
    }
  };

  /**
   * The source file a build output stands for (`pkg/dist/a/b.d.ts` -> `pkg/src/a/b.ts`), or
   * undefined when `abs` is not under a known output folder or has no source.
   */
  sourceOf(abs: string): string | undefined {
    const target = this.unlink(abs);
    for (const o of this.outputs) {
      if (!target.startsWith(`${o.out}${path.sep}`)) continue;
      const rest = target.slice(o.out.length);
      for (const [ext, sources] of SOURCE_OF) {
        if (!rest.endsWith(ext)) continue;
        const base = o.src + rest.slice(0, -ext.length);
        for (const s of sources) {
          const candidate = base + s;
          const rel = this.rel(candidate);
          if ((rel !== undefined && this.known.has(rel)) || this.isFile(candidate)) return candidate;
        }
        break;
      }
    }
    return undefined;
  }

  /** `<root>/node_modules/@scope/pkg/x` -> `<root>/packages/pkg/x` when not really installed. */
  private unlink(abs: string): string {
    for (const [link, dir] of this.linked) {
      if (abs === link || abs.startsWith(`${link}${path.sep}`)) {
        if (this.isDir(link)) return abs; // installed: the real symlink decides
        return dir + abs.slice(link.length);
      }
    }
    return abs;
  }

  private isFile(abs: string): boolean {
    return this.kindOf(abs) === 'file';
  }

  private isDir(abs: string): boolean {
    return this.kindOf(abs) === 'dir';
  }

  private kindOf(abs: string): 'file' | 'dir' | 'none' {
    return memo(this.kinds, abs, () => {
      try {
        const st = statSync(abs, { throwIfNoEntry: false });
        return st?.isFile() ? 'file' : st?.isDirectory() ? 'dir' : 'none';
      } catch {
        return 'none'; // ENOTDIR, EACCES: not there for resolution
      }
    });
  }

  private rel(abs: string): string | undefined {
    const rel = path.relative(this.root, abs).replaceAll('\\', '/');
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
  }
}

function memo<T>(map: Map<string, T>, key: string, compute: () => T): T {
  let hit = map.get(key);
  if (hit === undefined) {
    hit = compute();
    map.set(key, hit);
  }
  return hit;
}
