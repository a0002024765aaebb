import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import { compiler } from '../../src/graph/compiler.js';
import { ResolutionHost } from '../../src/graph/host.js';
import { defaultOptions, Resolver } from '../../src/graph/resolver.js';
import type { ImportEdge, ImportGraph } from '../../src/graph/types.js';
import { findWorkspacePackages } from '../../src/graph/workspaces.js';

/**
 * A test-only oracle: for every import archfit found, ask the TypeScript compiler itself.
 * Independent of archfit's resolver in the parts that decide the answer:
 * - the governing tsconfig is found with `ts.findConfigFile` walking up and the projects'
 *   file lists from `ts.parseJsonConfigFileContent` over the real file system (`ts.sys`),
 *   following `references` (archfit uses its own walk and a virtual tree of scanned files);
 * - each file is a `ts.createProgram` source file, so its implied node format and package.json
 *   scope are set by the compiler, and the mode of each import is `ts.getModeForUsageLocation`
 *   on the real syntax node (archfit probes one synthetic file per format);
 * - the import literals are found by the oracle's own walk of the compiler's AST;
 * - an import no file answers is asked of the type checker (`getSymbolAtLocation`) of a
 *   program holding the project's `.d.ts` files and type packages: a symbol declared by an
 *   ambient `declare module` is an ambient resolution (archfit gathers those declarations itself).
 * Shared, as "the same inputs": the file-system view with workspace packages linked and built
 * (ResolutionHost), and its output -> source mapping, applied to TypeScript's answer.
 */
export interface OracleResult {
  imports: number;
  agree: number;
  disagreements: { file: string; line: number; specifier: string; archfit: string; typescript: string }[];
  /** Import literals one side saw and the other did not. */
  unmatched: string[];
}

const BUILTIN = (s: string, isBuiltin: (n: string) => boolean) => s.startsWith('node:') || (!s.startsWith('.') && isBuiltin(s));

export async function runOracle(root: string, graph: ImportGraph): Promise<OracleResult> {
  const ts = compiler();
  const { isBuiltin } = await import('node:module');
  const known = new Set(graph.files.keys());
  const workspaces = findWorkspacePackages(root);
  // The resolver only lends its host (same file-system view, same output mappings).
  const host: ResolutionHost = new Resolver(root, known, [], workspaces).host;
  const parsed = new Map<string, TS.ParsedCommandLine | undefined>();
  const parse = (file: string) => {
    if (!parsed.has(file)) {
      const text = host.readFile(file);
      const json = text === undefined ? undefined : ts.parseConfigFileTextToJson(file, text).config;
      const parseHost: TS.ParseConfigHost = { useCaseSensitiveFileNames: true, readDirectory: ts.sys.readDirectory, fileExists: host.fileExists, readFile: host.readFile };
      parsed.set(file, json === undefined ? undefined : ts.parseJsonConfigFileContent(json, parseHost, path.dirname(file), undefined, file));
    }
    return parsed.get(file);
  };
  const holds = (p: TS.ParsedCommandLine, abs: string) => p.fileNames.includes(abs);
  const viaReferences = (p: TS.ParsedCommandLine, abs: string, seen: Set<string>): TS.ParsedCommandLine | undefined => {
    for (const ref of p.projectReferences ?? []) {
      const file = ts.resolveProjectReferencePath(ref);
      if (seen.has(file)) continue;
      seen.add(file);
      const q = parse(file);
      if (q && holds(q, abs)) return q;
      const deeper = q && viaReferences(q, abs, seen);
      if (deeper) return deeper;
    }
    return undefined;
  };
  const declarations = new Map<TS.CompilerOptions, string[]>();
  const optionsOf = (p: TS.ParsedCommandLine) => {
    declarations.set(p.options, p.fileNames.filter((f) => f.endsWith('.d.ts')));
    return p.options;
  };
  const governing = (abs: string): TS.CompilerOptions => {
    let first: TS.ParsedCommandLine | undefined;
    for (let dir = path.dirname(abs); dir.startsWith(root); ) {
      const config = ts.findConfigFile(dir, host.fileExists);
      if (!config || !config.startsWith(root)) break;
      const p = parse(config);
      if (p) {
        first ??= p;
        if (holds(p, abs)) return optionsOf(p);
        const ref = viaReferences(p, abs, new Set([config]));
        if (ref) return optionsOf(ref);
      }
      const parent = path.dirname(path.dirname(config));
      if (parent === path.dirname(config)) break;
      dir = parent;
    }
    return first ? optionsOf(first) : defaultOptions(ts);
  };

  const byOptions = new Map<TS.CompilerOptions, string[]>();
  for (const file of known) {
    const abs = path.join(root, file);
    const options = governing(abs);
    byOptions.set(options, [...(byOptions.get(options) ?? []), abs]);
  }

  const result: OracleResult = { imports: 0, agree: 0, disagreements: [], unmatched: [] };
  for (const [options, files] of byOptions) {
    const programOptions = { ...options, noLib: true };
    const compilerHost = ts.createCompilerHost(programOptions, true);
    Object.assign(compilerHost, { fileExists: host.fileExists, directoryExists: host.directoryExists, realpath: host.realpath });
    const program = ts.createProgram({ rootNames: [...files, ...(declarations.get(options) ?? [])], options: programOptions, host: compilerHost });
    const checker = program.getTypeChecker();
    for (const abs of files) {
      const sf = program.getSourceFile(abs);
      const rel = path.relative(root, abs).replaceAll('\\', '/');
      if (!sf) {
        result.unmatched.push(`${rel}: not in the program`);
        continue;
      }
      const edges = new Map((graph.outgoing.get(rel) ?? []).map((e) => [`${e.line}:${e.column}`, e]));
      for (const literal of importLiterals(ts, sf)) {
        const { line, character } = sf.getLineAndCharacterOfPosition(literal.getStart(sf));
        const key = `${line + 1}:${character + 1}`;
        const edge = edges.get(key);
        edges.delete(key);
        if (!edge) {
          result.unmatched.push(`${rel}:${key} ${literal.text}: archfit has no edge`);
          continue;
        }
        result.imports++;
        if (BUILTIN(literal.text, isBuiltin)) {
          // Builtins are archfit's classification, not a resolution: both must say builtin.
          if (edge.resolution === 'builtin') result.agree++;
          else result.disagreements.push({ file: rel, line: line + 1, specifier: literal.text, archfit: describe(edge), typescript: 'builtin' });
          continue;
        }
        const mode = ts.getModeForUsageLocation(sf, literal, options);
        const resolved = ts.resolveModuleName(literal.text, abs, options, host, undefined, undefined, mode).resolvedModule;
        const theirs = resolved ? answer(root, host, literal.text, resolved) : ambientOf(ts, checker, literal);
        const ours = describe(edge);
        if (theirs === ours) result.agree++;
        else result.disagreements.push({ file: rel, line: line + 1, specifier: literal.text, archfit: ours, typescript: theirs });
      }
      for (const e of edges.values()) result.unmatched.push(`${rel}:${e.line}:${e.column} ${e.specifier}: the oracle found no import there`);
    }
  }
  return result;
}

/** archfit's answer in the oracle's terms: a repo file, `package`, or `unresolved`. */
function describe(e: ImportEdge): string {
  if (e.to && e.via !== 'asset') return `file ${e.to}`;
  if (e.resolution === 'package') return 'package';
  if (e.resolution === 'builtin') return 'builtin';
  if (e.resolution === 'ambient') return `ambient ${e.ambient}`;
  return 'unresolved';
}

function answer(root: string, host: ResolutionHost, specifier: string, resolved: TS.ResolvedModuleFull | undefined): string {
  if (!resolved) return 'unresolved';
  let abs = host.realpath(resolved.resolvedFileName);
  abs = host.sourceOf(abs) ?? abs;
  const rel = path.relative(root, abs).replaceAll('\\', '/');
  if (rel.startsWith('..') || path.isAbsolute(rel) || rel.includes('node_modules/')) return 'package';
  void specifier;
  return `file ${rel}`;
}

/** What the checker binds an unresolved specifier to: an ambient `declare module` (exact or pattern), else nothing. */
function ambientOf(ts: ReturnType<typeof compiler>, checker: TS.TypeChecker, literal: TS.StringLiteralLike): string {
  const declaration = checker.getSymbolAtLocation(literal)?.declarations?.find((d) => ts.isModuleDeclaration(d) && ts.isStringLiteral(d.name)) as TS.ModuleDeclaration | undefined;
  return declaration ? `ambient ${(declaration.name as TS.StringLiteral).text}` : 'unresolved';
}

/** Every module specifier literal, by the oracle's own walk. */
function importLiterals(ts: ReturnType<typeof compiler>, sf: TS.SourceFile): TS.StringLiteralLike[] {
  const out: TS.StringLiteralLike[] = [];
  const visit = (node: TS.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier);
    else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) out.push(node.expression);
    else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) out.push(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** For a quick look from the shell: `npx tsx fitness/test/support/oracle.ts <repo>`. */
export async function oracleFor(root: string): Promise<OracleResult> {
  const { loadConfig } = await import('../../src/index.js');
  const { buildGraph } = await import('../../src/graph/build.js');
  const { graph } = await buildGraph(await loadConfig(root), { cache: false });
  return runOracle(root, graph);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const r = await oracleFor(path.resolve(process.argv[2] ?? '.'));
  process.stdout.write(`${JSON.stringify({ imports: r.imports, agree: r.agree, disagreements: r.disagreements.length, unmatched: r.unmatched.length }, null, 2)}\n`);
  for (const d of r.disagreements.slice(0, 20)) process.stdout.write(`${JSON.stringify(d)}\n`);
  for (const u of r.unmatched.slice(0, 20)) process.stdout.write(`${u}\n`);
}
