import {
  Node,
  SyntaxKind,
  type CallExpression,
  type ObjectLiteralExpression,
  type ParameterDeclaration,
  type Project,
  type SourceFile,
  type VariableDeclaration,
} from 'ts-morph';

/** What a route registration declares about auth, read syntactically. */
export interface RouteRegistration {
  /** `GET /orders`, or `ROUTE ?` when not literal. */
  route: string;
  line: number;
  column: number;
  /** The literal context, `null` when absent, `{ expr }` when not a string literal. */
  context: string | null | { expr: string };
  contextLine: number;
  contextColumn: number;
  /** `missing`, `empty`, or `ok`. */
  permission: 'missing' | 'empty' | 'ok';
  /** Set when the options are not an object literal we can read. */
  opaque?: string;
}

const SHORTHAND = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
/** Types that mark a parameter or variable as a Fastify instance. */
const INSTANCE_TYPE = /\bFastifyInstance\b/;
/** Plugin types whose first parameter is a Fastify instance. */
const PLUGIN_TYPE = /\bFastifyPlugin(?:Async|Callback)?\w*\b/;

/** Cheap pre-filter: only files that look like they register routes are parsed. */
export function mayRegisterRoutes(text: string): boolean {
  return /\.(?:get|post|put|patch|delete|head|options|all|route)\s*[<(]/.test(text) && /fastify|Fastify|routes?/.test(text);
}

/**
 * Finds route registrations on Fastify instances in one file, without a program or types.
 * An identifier is a Fastify instance when it is: a parameter or variable typed
 * `FastifyInstance…`; the first parameter of a function typed as a Fastify plugin, passed to
 * `fastify-plugin`/`fp(...)` or to `.register(...)`; a variable initialised by `fastify(...)`,
 * `Fastify(...)` or `<instance>.withTypeProvider()`.
 */
export function findRouteRegistrations(project: Project, fileName: string, text: string): RouteRegistration[] {
  const sf = project.createSourceFile(fileName, text, { overwrite: true });
  try {
    // getDescendantsOfKind walks compiler nodes and wraps only the matches: far cheaper than
    // forEachDescendant, which wraps every node of the file.
    const calls = sf.getDescendantsOfKind(SyntaxKind.CallExpression);
    const instances = instanceNames(sf, calls);
    const out: RouteRegistration[] = [];
    for (const node of calls) {
      const callee = node.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const receiver = callee.getExpression();
      const method = callee.getName();
      if (!Node.isIdentifier(receiver) || !instances.has(receiver.getText())) continue;
      if (method === 'route') out.push(fromRouteCall(node));
      else if (SHORTHAND.has(method) && node.getArguments().length >= 2) out.push(fromShorthand(node, method));
    }
    return out;
  } finally {
    project.removeSourceFile(sf);
  }
}

function instanceNames(sf: SourceFile, calls: CallExpression[]): Set<string> {
  const names = new Set<string>();
  const pluginNames = new Set<string>();
  const typeText = (n: ParameterDeclaration | VariableDeclaration) => n.getTypeNode()?.getText() ?? '';
  const firstParamOf = (node: Node | undefined) => {
    let fn = node;
    while (fn && Node.isParenthesizedExpression(fn)) fn = fn.getExpression();
    if (fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn))) {
      const p = fn.getParameters()[0];
      if (p && Node.isIdentifier(p.getNameNode())) names.add(p.getName());
    }
  };
  for (const p of sf.getDescendantsOfKind(SyntaxKind.Parameter)) {
    if (INSTANCE_TYPE.test(typeText(p)) && Node.isIdentifier(p.getNameNode())) names.add(p.getName());
  }
  for (const v of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (!Node.isIdentifier(v.getNameNode())) continue;
    const type = typeText(v);
    const init = v.getInitializer();
    if (INSTANCE_TYPE.test(type)) names.add(v.getName());
    if (PLUGIN_TYPE.test(type)) firstParamOf(init);
    if (init && Node.isCallExpression(init)) {
      const callee = init.getExpression().getText();
      if (/^(?:fastify|Fastify)$/.test(callee) || /\.withTypeProvider$/.test(callee)) names.add(v.getName());
    }
  }
  // Plugin factories: `function routes(deps): FastifyPluginAsync { return async (app) => … }`.
  const factories = [
    ...sf.getDescendantsOfKind(SyntaxKind.FunctionDeclaration),
    ...sf.getDescendantsOfKind(SyntaxKind.ArrowFunction),
    ...sf.getDescendantsOfKind(SyntaxKind.MethodDeclaration),
  ];
  for (const fn of factories) {
    if (!PLUGIN_TYPE.test(fn.getReturnTypeNode()?.getText() ?? '')) continue;
    const body = fn.getBody();
    if (body && !Node.isBlock(body)) firstParamOf(body);
    for (const ret of fn.getDescendantsOfKind(SyntaxKind.ReturnStatement)) firstParamOf(ret.getExpression());
  }
  // `(async (app) => …) satisfies FastifyPluginAsync` and `as FastifyPluginAsync`.
  for (const kind of [SyntaxKind.SatisfiesExpression, SyntaxKind.AsExpression] as const) {
    for (const e of sf.getDescendantsOfKind(kind)) {
      if (PLUGIN_TYPE.test(e.getTypeNode()?.getText() ?? '')) firstParamOf(e.getExpression());
    }
  }
  // `export default async function routes(app, opts)`: the plugin convention.
  for (const fn of sf.getFunctions()) if (fn.isDefaultExport()) firstParamOf(fn);
  for (const call of calls) {
    const callee = call.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    if (name === 'fp' || name === 'fastifyPlugin' || name === 'register') {
      const arg = call.getArguments()[0];
      if (arg && Node.isIdentifier(arg)) pluginNames.add(arg.getText());
      else firstParamOf(arg);
    }
  }
  // Functions registered by name (`app.register(orderRoutes)`) declared in this file.
  for (const name of pluginNames) {
    firstParamOf(sf.getFunction(name));
    firstParamOf(sf.getVariableDeclaration(name)?.getInitializer());
  }
  return names;
}

function position(node: Node): { line: number; column: number } {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return { line, column };
}

function literal(node: Node | undefined): string | undefined {
  return node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) ? node.getLiteralValue() : undefined;
}

function property(obj: ObjectLiteralExpression, name: string): Node | undefined {
  const prop = obj.getProperty(name);
  if (!prop) return undefined;
  if (Node.isPropertyAssignment(prop)) return followConst(prop.getInitializer());
  if (Node.isShorthandPropertyAssignment(prop)) return followConst(prop.getNameNode());
  return prop;
}

/**
 * `config: PUBLIC` where `const PUBLIC = { auth: { … } } as const` is declared in the same
 * file is as checkable as the literal itself; anything else stays opaque.
 */
function followConst(node: Node | undefined, depth = 0): Node | undefined {
  let n = node;
  while (n && (Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isParenthesizedExpression(n))) n = n.getExpression();
  if (!n || !Node.isIdentifier(n) || depth > 3) return n;
  const decl = n.getSourceFile().getVariableDeclaration(n.getText());
  const list = decl?.getVariableStatement();
  if (!decl || !list || list.getDeclarationKind() !== 'const') return n;
  return followConst(decl.getInitializer(), depth + 1) ?? n;
}

function fromShorthand(call: CallExpression, method: string): RouteRegistration {
  const args = call.getArguments();
  const url = literal(args[0]) ?? '?';
  const route = `${method.toUpperCase()} ${url}`;
  // (url, handler) has no options; (url, options, handler) does.
  const options = args.length >= 3 ? followConst(args[1]) : undefined;
  return readAuth(call, route, options);
}

function fromRouteCall(call: CallExpression): RouteRegistration {
  const options = followConst(call.getArguments()[0]);
  let route = 'ROUTE ?';
  if (options && Node.isObjectLiteralExpression(options)) {
    const method = property(options, 'method');
    const url = literal(property(options, 'url')) ?? '?';
    route = `${(literal(method) ?? method?.getText() ?? '?').toUpperCase()} ${url}`;
  }
  return readAuth(call, route, options);
}

function readAuth(call: CallExpression, route: string, options: Node | undefined): RouteRegistration {
  const at = position(call.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getNameNode());
  const base = { route, ...at, contextLine: at.line, contextColumn: at.column };
  if (!options) return { ...base, context: null, permission: 'missing' };
  if (!Node.isObjectLiteralExpression(options)) {
    return { ...base, context: null, permission: 'missing', opaque: `options are ${options.getText().slice(0, 40)}, not an object literal` };
  }
  const config = property(options, 'config');
  if (!config) return { ...base, context: null, permission: 'missing' };
  if (!Node.isObjectLiteralExpression(config)) {
    return { ...base, context: null, permission: 'missing', opaque: `config is ${config.getText().slice(0, 40)}, not an object literal` };
  }
  const auth = property(config, 'auth');
  if (!auth) return { ...base, context: null, permission: 'missing' };
  if (!Node.isObjectLiteralExpression(auth)) {
    return { ...base, context: null, permission: 'missing', opaque: `config.auth is ${auth.getText().slice(0, 40)}, not an object literal` };
  }
  const contextNode = property(auth, 'context');
  const permissionNode = property(auth, 'permission');
  const contextAt = contextNode ? position(contextNode) : at;
  const contextValue = literal(contextNode);
  const permissionValue = literal(permissionNode);
  return {
    ...base,
    context: contextNode ? (contextValue ?? { expr: contextNode.getText() }) : null,
    contextLine: contextAt.line,
    contextColumn: contextAt.column,
    permission: !permissionNode ? 'missing' : permissionValue !== undefined && permissionValue.trim() === '' ? 'empty' : 'ok',
  };
}
