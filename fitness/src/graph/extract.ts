import type { ts as TS } from 'ts-morph';
import { compiler, type TsApi } from './compiler.js';
import type { ImportKind, InlineIgnore } from './types.js';

/** One import as written; resolution happens later (and is cached separately). */
export interface RawImport {
  specifier: string;
  kind: ImportKind;
  typeOnly: boolean;
  /** `import './x.css'`: no binding, run for its effect (TypeScript does not require it to resolve). */
  sideEffect?: boolean;
  /** A `resolution-mode` import attribute TypeScript honours (on `import type`/`export type` and `import()` types): the mode it resolves in. */
  resolutionMode?: 'import' | 'require';
  line: number;
  column: number;
}

export interface Extraction {
  imports: RawImport[];
  ignores: InlineIgnore[];
}

/** Set on first use: the compiler loads only when a file has to be parsed. */
let ts: TsApi;

const IGNORE_RE = /\/\/\s*archfit-ignore\s+([A-Za-z0-9_-]+)\s*(?::(.*))?$/;

/**
 * Reads every import-like form from one file with a syntax-only parse (no binder, no checker):
 * static imports and re-exports with their type-only status, `import x = require()`,
 * `import()`, `require()` and `import('x').T` type references.
 *
 * `ts.preProcessFile` is faster but cannot tell `import type` from a value import, which the
 * boundary and cycle rules need; a single-file parse is still far cheaper than a ts-morph project. The compiler is the one
 * ts-morph bundles, so a run loads one TypeScript, not two.
 */
export function extractImports(fileName: string, text: string): Extraction {
  ts ??= compiler();
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  const imports: RawImport[] = [];
  const add = (literal: TS.Node, specifier: string, kind: ImportKind, typeOnly: boolean, sideEffect = false, resolutionMode?: 'import' | 'require') => {
    const { line, character } = sf.getLineAndCharacterOfPosition(literal.getStart(sf));
    imports.push({ specifier, kind, typeOnly, ...(sideEffect ? { sideEffect } : {}), ...(resolutionMode ? { resolutionMode } : {}), line: line + 1, column: character + 1 });
  };

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
      // As ts.getModeForUsageLocation: the attribute counts only on an `import type` declaration.
      const override = stmt.importClause?.isTypeOnly ? modeAttribute(stmt.attributes) : undefined;
      add(stmt.moduleSpecifier, stmt.moduleSpecifier.text, 'import', importIsTypeOnly(stmt), !stmt.importClause, override);
    } else if (ts.isExportDeclaration(stmt) && stmt.moduleSpecifier && ts.isStringLiteral(stmt.moduleSpecifier)) {
      add(stmt.moduleSpecifier, stmt.moduleSpecifier.text, 'export', exportIsTypeOnly(stmt), false, stmt.isTypeOnly ? modeAttribute(stmt.attributes) : undefined);
    } else if (
      ts.isImportEqualsDeclaration(stmt) &&
      ts.isExternalModuleReference(stmt.moduleReference) &&
      ts.isStringLiteral(stmt.moduleReference.expression)
    ) {
      const lit = stmt.moduleReference.expression;
      add(lit, lit.text, 'import-equals', stmt.isTypeOnly);
    }
  }

  // Calls can sit anywhere; walk the tree only when the text can contain one.
  if (/\b(?:import|require)\s*\(/.test(text)) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length >= 1) {
        const arg = node.arguments[0]!;
        const literal = ts.isStringLiteralLike(arg) ? arg : undefined;
        if (literal && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
          add(literal, literal.text, 'dynamic-import', false);
        } else if (literal && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
          add(literal, literal.text, 'require', false);
        }
      } else if (ts.isImportTypeNode(node)) {
        const arg = node.argument;
        if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
          add(arg.literal, arg.literal.text, 'dynamic-import', true, false, modeAttribute(node.attributes));
        }
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(sf, visit);
    imports.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  return { imports, ignores: text.includes('archfit-ignore') ? findIgnores(text) : [] };
}

/** `with { 'resolution-mode': 'import' | 'require' }` (or `assert`), as TypeScript reads it. */
function modeAttribute(attributes: TS.ImportAttributes | undefined): 'import' | 'require' | undefined {
  // Only a lone attribute counts (TypeScript reports any other shape and ignores it).
  const el = attributes?.elements.length === 1 ? attributes.elements[0]! : undefined;
  if (!el || !ts.isStringLiteralLike(el.name) || el.name.text !== 'resolution-mode' || !ts.isStringLiteralLike(el.value)) return undefined;
  return el.value.text === 'import' || el.value.text === 'require' ? el.value.text : undefined;
}

function importIsTypeOnly(stmt: TS.ImportDeclaration): boolean {
  const clause = stmt.importClause;
  if (!clause) return false; // `import './side-effect.js'` runs code
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function exportIsTypeOnly(stmt: TS.ExportDeclaration): boolean {
  if (stmt.isTypeOnly) return true;
  const clause = stmt.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

function scriptKind(fileName: string): TS.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** `// archfit-ignore <rule>: <reason>` exempts the next line that is not blank or a comment. */
export function findIgnores(text: string): InlineIgnore[] {
  const lines = text.split(/\r?\n/);
  const out: InlineIgnore[] = [];
  lines.forEach((lineText, i) => {
    const match = IGNORE_RE.exec(lineText);
    if (!match) return;
    let target = i + 1;
    while (target < lines.length && /^\s*(\/\/.*)?$/.test(lines[target]!)) target++;
    out.push({ rule: match[1]!, reason: (match[2] ?? '').trim(), line: i + 1, appliesTo: target + 1 });
  });
  return out;
}
