import type { ts } from 'ts-morph';
import { compiler } from '../graph/build.js';

/**
 * Table references in SQL, found by PostgreSQL's own parser (libpg-query, the real grammar
 * compiled to WebAssembly) rather than by patterns: a CTE, a column named like a schema or a
 * string literal holding "FROM x.y" never counts, and every statement form is covered.
 */

/** One schema-qualified relation a statement names, with where it is in the file. */
export interface TableReference {
  schema: string;
  table: string;
  /** Writes: INSERT/UPDATE/DELETE/MERGE targets and DDL (CREATE, ALTER, DROP, TRUNCATE, COMMENT, INDEX). */
  access: 'read' | 'write';
  line: number;
  column: number;
}

/** A SQL text and how its offsets map back to the file it came from. */
export interface SqlSource {
  sql: string;
  /** File line and column (1-based) of a character offset into `sql`. */
  position(offset: number): { line: number; column: number };
  /** The same text with unresolved interpolations left empty, tried when `sql` does not parse. */
  fallback?: SqlSource;
}

/** What could not be checked, and where: fail closed, never a silent pass. */
export interface SqlProblem {
  line: number;
  column: number;
  message: string;
}

type ParseFn = (sql: string) => Promise<unknown>;

const WRITE_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateStmt', 'AlterTableStmt', 'IndexStmt', 'TruncateStmt', 'RenameStmt', 'CreateTableAsStmt', 'ViewStmt', 'CreateTrigStmt', 'RuleStmt', 'CreatePolicyStmt', 'AlterPolicyStmt']);

/** The fields of a write statement that name the relation written (everything else it names is read). */
const WRITE_TARGET_FIELDS = new Set(['relation', 'relations', 'into', 'view']);

/** Byte offsets (what the parser reports) to string indexes, for text with non-ASCII characters. */
function byteToIndex(sql: string): (byte: number) => number {
  if (!/[^\x00-\x7f]/.test(sql)) return (b) => b;
  const map: number[] = [];
  let byte = 0;
  for (let i = 0; i < sql.length; i++) {
    const code = sql.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) map[byte + k] = i;
    byte += size;
    if (code >= 0x10000) i++;
  }
  return (b) => map[b] ?? sql.length;
}

/** Parses one SQL text and lists every schema-qualified relation it names. */
export async function tableReferences(source: SqlSource, parse: ParseFn): Promise<{ refs: TableReference[]; problem?: SqlProblem }> {
  let tree: { stmts?: Array<{ stmt: Record<string, unknown>; stmt_location?: number }> };
  try {
    tree = (await parse(source.sql)) as typeof tree;
  } catch (err) {
    if (source.fallback) {
      const second = await tableReferences(source.fallback, parse);
      if (!second.problem) return second;
    }
    const cursor = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition ?? 0;
    const at = source.position(byteToIndex(source.sql)(Math.max(0, cursor - 1)));
    return { refs: [], problem: { ...at, message: `PostgreSQL cannot parse this SQL: ${(err as Error).message}` } };
  }
  const toIndex = byteToIndex(source.sql);
  const refs: TableReference[] = [];
  const visit = (node: unknown, access: 'read' | 'write', stmtLocation: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, access, stmtLocation);
      return;
    }
    if (!node || typeof node !== 'object') return;
    // A RangeVar comes wrapped ({ RangeVar: {...} }) in node lists such as FROM, and bare in
    // typed fields such as an INSERT's relation or a foreign key's pktable.
    const rv = node as { schemaname?: unknown; relname?: unknown; location?: number };
    if (typeof rv.relname === 'string') {
      if (typeof rv.schemaname === 'string') refs.push({ schema: rv.schemaname, table: rv.relname, access, ...source.position(toIndex(rv.location ?? stmtLocation)) });
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'DropStmt' || key === 'CommentStmt') {
        // These name their objects as lists of strings, without positions: the statement's own position stands in.
        for (const name of qualifiedNames(value)) refs.push({ ...name, access: 'write', ...source.position(toIndex(stmtLocation)) });
        continue;
      }
      if (WRITE_STATEMENTS.has(key) && value && typeof value === 'object') {
        for (const [field, child] of Object.entries(value as Record<string, unknown>)) {
          visit(child, WRITE_TARGET_FIELDS.has(field) ? 'write' : 'read', stmtLocation);
        }
        continue;
      }
      visit(value, access, stmtLocation);
    }
  };
  for (const s of tree.stmts ?? []) {
    const location = s.stmt_location ?? 0;
    // Skip leading whitespace and comments so the position lands on the statement itself.
    const start = location + (/^\s*/.exec(source.sql.slice(location))?.[0].length ?? 0);
    visit(s.stmt, 'read', start);
  }
  return { refs };
}

/** `[schema, table]` string lists of a DROP or COMMENT statement (tables, views, columns). */
function qualifiedNames(stmt: unknown): Array<{ schema: string; table: string }> {
  const out: Array<{ schema: string; table: string }> = [];
  const lists: unknown[] = [];
  const s = stmt as { objects?: unknown[]; object?: unknown; objtype?: string };
  if (Array.isArray(s.objects)) lists.push(...s.objects);
  if (s.object) lists.push(s.object);
  for (const item of lists) {
    const items = (item as { List?: { items?: unknown[] } }).List?.items;
    if (!Array.isArray(items)) continue;
    const names = items.map((i) => (i as { String?: { sval?: string } }).String?.sval).filter((n): n is string => typeof n === 'string');
    // schema.table, or schema.table.column for COMMENT ON COLUMN.
    if (names.length >= 2) out.push({ schema: names[0]!, table: names[1]! });
  }
  return out;
}

/** A `.sql` file: offsets map straight to lines and columns. */
export function sqlFileSource(text: string): SqlSource {
  return { sql: text, position: lineColumn(text, 0) };
}

function lineColumn(text: string, base: number, starts?: number[]): (offset: number) => { line: number; column: number } {
  const lineStarts = starts ?? [0];
  if (!starts) for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset: number) => {
    const at = base + offset;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
}

/** SQL offset where a piece starts, file offset it maps to, and whether the piece is an interpolation. */
type Segment = [number, number, boolean];

/** Stands in for an interpolation it cannot resolve: parses wherever an identifier may stand. */
const PLACEHOLDER = 'archfit_interpolated';

/**
 * The SQL strings of a TypeScript file: the first argument of every `.query(...)` call, as a
 * string literal, a template literal (interpolated constants of the same file inlined, other
 * interpolations replaced by an identifier) or an identifier naming such a constant.
 */
export function querySources(fileName: string, text: string): SqlSource[] {
  // ts-morph's own compiler, loaded once per process: archfit declares no second TypeScript.
  const tsc = compiler();
  const sf = tsc.createSourceFile(fileName, text, tsc.ScriptTarget.Latest, true, fileName.endsWith('x') ? tsc.ScriptKind.TSX : tsc.ScriptKind.TS);
  const lineStarts = sf.getLineStarts() as number[];
  const constants = new Map<string, ts.Expression>();
  const collect = (node: ts.Node): void => {
    if (tsc.isVariableDeclaration(node) && tsc.isIdentifier(node.name) && node.initializer && tsc.isVariableDeclarationList(node.parent) && node.parent.flags & tsc.NodeFlags.Const) {
      constants.set(node.name.text, node.initializer);
    }
    tsc.forEachChild(node, collect);
  };
  collect(sf);

  /**
   * Builds the SQL text and a map from its offsets to file offsets, piece by piece. An
   * interpolation that is not a constant becomes an identifier (or a number after `$`), or
   * nothing in `empty` mode; a conditional between constants takes its first branch.
   */
  const build = (expr: ts.Expression, depth: number, empty = false): { sql: string; map: Segment[]; unresolved: number } | undefined => {
    while (tsc.isParenthesizedExpression(expr) || tsc.isAsExpression(expr)) expr = expr.expression;
    if (tsc.isStringLiteral(expr) || tsc.isNoSubstitutionTemplateLiteral(expr)) {
      return { sql: expr.getText(sf).slice(1, -1), map: [[0, expr.getStart(sf) + 1, false]], unresolved: 0 };
    }
    if (tsc.isIdentifier(expr) && depth < 3) {
      const init = constants.get(expr.text);
      return init ? build(init, depth + 1, empty) : undefined;
    }
    if (tsc.isConditionalExpression(expr) && depth < 3) {
      return build(expr.whenTrue, depth + 1, empty) ?? build(expr.whenFalse, depth + 1, empty);
    }
    if (tsc.isTemplateExpression(expr)) {
      let sql = '';
      let unresolved = 0;
      const map: Segment[] = [];
      const raw = (lit: ts.TemplateLiteralLikeNode, startOffset: number, endTrim: number) => {
        const t = lit.getText(sf);
        map.push([sql.length, lit.getStart(sf) + startOffset, false]);
        sql += t.slice(startOffset, t.length - endTrim);
      };
      raw(expr.head, 1, 2);
      for (const span of expr.templateSpans) {
        const inner = build(span.expression, depth + 1, empty);
        const at = span.expression.getStart(sf);
        // An interpolation, inlined or not, is reported at the `${...}` the reader sees.
        map.push([sql.length, at, true]);
        if (inner) {
          sql += inner.sql;
          unresolved += inner.unresolved;
        } else {
          unresolved++;
          sql += empty ? '' : sql.endsWith('$') ? '1' : PLACEHOLDER;
        }
        raw(span.literal, 1, tsc.isTemplateTail(span.literal) ? 1 : 2);
      }
      return { sql, map, unresolved };
    }
    return undefined;
  };

  const out: SqlSource[] = [];
  const visit = (node: ts.Node): void => {
    if (tsc.isCallExpression(node) && tsc.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'query' && node.arguments.length > 0) {
      const toFile = lineColumn(text, 0, lineStarts);
      const source = (built: { sql: string; map: Segment[] }): SqlSource => ({
        sql: built.sql,
        position(offset) {
          let seg = built.map[0]!;
          for (const m of built.map) if (m[0] <= offset) seg = m;
          return toFile(seg[2] ? seg[1] : seg[1] + (offset - seg[0]));
        },
      });
      const built = build(node.arguments[0]!, 0);
      if (built && built.sql.trim()) {
        const first = source(built);
        const second = built.unresolved > 0 ? build(node.arguments[0]!, 0, true) : undefined;
        out.push(second ? { ...first, fallback: source(second) } : first);
      }
    }
    tsc.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
