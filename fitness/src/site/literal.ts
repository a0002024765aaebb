import { Node } from 'ts-morph';

/** A value read from source without running it: literals as they are, anything else by its text. */
export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [key: string]: LiteralValue };

/** Strips `as const`, `satisfies T` and parentheses. */
export function unwrap(node: Node | undefined): Node | undefined {
  let n = node;
  while (n && (Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isParenthesizedExpression(n))) n = n.getExpression();
  return n;
}

/**
 * The static value of an expression: object and array literals, strings, numbers (with
 * separators), booleans, null. Anything computed (an identifier, a call) becomes `{ ref: text }`,
 * so a catalog entry's schema reference shows as its name instead of failing the read.
 */
export function literalValue(node: Node | undefined): LiteralValue {
  const n = unwrap(node);
  if (!n) return null;
  if (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) return n.getLiteralValue();
  if (Node.isNumericLiteral(n)) return n.getLiteralValue();
  if (Node.isPrefixUnaryExpression(n) && n.getOperand().getText() && Node.isNumericLiteral(n.getOperand())) {
    return Number(n.getText().replace(/_/g, ''));
  }
  if (Node.isTrueLiteral(n)) return true;
  if (Node.isFalseLiteral(n)) return false;
  if (Node.isNullLiteral(n)) return null;
  if (Node.isArrayLiteralExpression(n)) return n.getElements().map((e) => literalValue(e));
  if (Node.isObjectLiteralExpression(n)) {
    const out: { [key: string]: LiteralValue } = {};
    for (const p of n.getProperties()) {
      if (Node.isPropertyAssignment(p)) out[p.getName().replace(/^['"]|['"]$/g, '')] = literalValue(p.getInitializer());
      else if (Node.isShorthandPropertyAssignment(p)) out[p.getName()] = { ref: p.getName() };
    }
    return out;
  }
  return { ref: n.getText().slice(0, 80) };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export type LiteralObject = { [key: string]: LiteralValue };
/** A literal object (not an array or null), for narrowing inside `filter`. */
export const isObject = (v: LiteralValue | undefined): v is LiteralObject => isRecord(v);
