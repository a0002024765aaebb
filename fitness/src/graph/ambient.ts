import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import type { TsApi } from './compiler.js';
import type { ResolutionHost } from './host.js';

/**
 * The ambient module declarations a program sees (`declare module '*.css'`,
 * `declare module '*?url'`, `declare module 'virtual:pwa-register'`), gathered the way the
 * compiler gathers its program's declaration files: the project's own `.d.ts` files, the
 * type packages of `compilerOptions.types` (or every `@types` package when it is unset), and
 * what their `/// <reference types>` and `/// <reference path>` directives pull in. Only a
 * script (a file with no top-level import or export) declares ambient modules; in a module
 * the same text is an augmentation.
 *
 * TypeScript consults these when resolution finds no file: an exact name for a non-relative
 * specifier, else the pattern with the longest prefix (relative specifiers included).
 */
export class AmbientModules {
  readonly exact = new Set<string>();
  readonly patterns: { prefix: string; suffix: string; text: string }[] = [];
  /** Type packages the program names that do not resolve (not installed): their declarations are unknown. */
  readonly missingTypes: string[] = [];
  /** Declaration files read (absolute). */
  readonly files: string[] = [];

  /** The declaration TypeScript would use for a specifier it could not resolve to a file. */
  match(specifier: string, relative: boolean): string | undefined {
    if (!relative && this.exact.has(specifier)) return specifier;
    let best: { prefix: string; text: string } | undefined;
    for (const p of this.patterns) {
      if (specifier.length >= p.prefix.length + p.suffix.length && specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix)) {
        if (!best || p.prefix.length > best.prefix.length) best = p;
      }
    }
    return best?.text;
  }

  static collect(ts: TsApi, host: ResolutionHost, options: TS.CompilerOptions, containingFile: string, declarationFiles: Iterable<string>): AmbientModules {
    const out = new AmbientModules();
    const seen = new Set<string>();
    const queue: string[] = [];
    const push = (file: string | undefined) => {
      if (file && !seen.has(file)) {
        seen.add(file);
        queue.push(file);
      }
    };
    const typeReference = (name: string, from: string, mode?: TS.ResolutionMode) => {
      const r = ts.resolveTypeReferenceDirective(name, from, options, host, undefined, undefined, mode).resolvedTypeReferenceDirective;
      if (r?.resolvedFileName) push(r.resolvedFileName);
      else out.missingTypes.push(name);
    };
    for (const f of declarationFiles) push(f);
    const typeNames = options.types ?? ts.getAutomaticTypeDirectiveNames(options, host);
    for (const name of typeNames) typeReference(name, containingFile);
    while (queue.length) {
      const file = queue.shift()!;
      const text = host.readFile(file);
      if (text === undefined) continue;
      host.read.add(file);
      out.files.push(file);
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      // A reference without `resolution-mode` resolves in the mode of the file that holds it.
      const format = sf.typeReferenceDirectives.length ? ts.getImpliedNodeFormatForFile(file, undefined, host, options) : undefined;
      for (const ref of sf.typeReferenceDirectives) typeReference(ref.fileName.toLowerCase(), file, ref.resolutionMode ?? format);
      for (const ref of sf.referencedFiles) {
        const abs = path.resolve(path.dirname(file), ref.fileName);
        push([abs, `${abs}.d.ts`, `${abs}.ts`].find((c) => host.fileExists(c)));
      }
      if (ts.isExternalModule(sf)) continue;
      for (const stmt of sf.statements) {
        if (!ts.isModuleDeclaration(stmt) || !ts.isStringLiteral(stmt.name)) continue;
        const name = stmt.name.text;
        const star = name.indexOf('*');
        if (star < 0) out.exact.add(name);
        else out.patterns.push({ prefix: name.slice(0, star), suffix: name.slice(star + 1), text: name });
      }
    }
    return out;
  }
}
