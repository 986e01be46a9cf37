import type { Node } from '@vscode/tree-sitter-wasm';
import { childrenOf, httpMethods, statusValue, stringValue, type DeclaredRoute, type FileRoutes } from './routeShape.ts';

function keyword(call: Node, name: string): Node | undefined {
  const list = call.childForFieldName('arguments');
  return childrenOf(list).find((argument) => argument.type === 'keyword_argument' && argument.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
}

function positional(call: Node, index: number): Node | undefined {
  return childrenOf(call.childForFieldName('arguments')).filter((argument) => argument.type !== 'keyword_argument' && argument.type !== 'comment')[index];
}

/** `methods=["GET", "POST"]` → ['GET', 'POST']; undefined when not a list of literals. */
function methodList(node: Node | undefined): string[] | undefined {
  if (node === undefined || (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'set')) return undefined;
  const values = childrenOf(node).map((item) => stringValue(item)?.toUpperCase());
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

/** The object and method of `obj.method(...)`, or undefined for other calls. */
function memberCall(call: Node): { on: string; method: string } | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  return { on: callee.childForFieldName('object')?.text ?? '', method: callee.childForFieldName('attribute')?.text ?? '' };
}

/** The handler may set its own status (`response.status_code = ...`, `JSONResponse(..., status_code=)`, Flask's `(body, 201)`, `make_response`). */
function setsStatus(definition: Node | null): boolean {
  // Error responses (`raise HTTPException(status_code=404)`, `abort(404)`) do not change the success status.
  const body = (definition?.childForFieldName('body')?.text ?? '').replace(/\b(HTTPException|abort)\([^)]*\)/g, '');
  return /status|Response\b|make_response|return\s[^\n]*,\s*\d{3}\b/.test(body);
}

/** A route decorator (`@app.get("/x")`, `@bp.route("/x", methods=[...])`, `@router.api_route(...)`, `@app.websocket(...)`). */
function decoratorRoute(call: Node, definition: Node | null): DeclaredRoute | undefined {
  const member = memberCall(call);
  if (member === undefined) return undefined;
  const path = stringValue(positional(call, 0) ?? keyword(call, 'path') ?? keyword(call, 'rule'));
  if (path === undefined) return undefined;
  let methods: string[] | undefined;
  if ((httpMethods as readonly string[]).includes(member.method)) methods = [member.method.toUpperCase()];
  else if (member.method === 'websocket' || member.method === 'websocket_route') methods = ['WS'];
  else if (member.method === 'route' || member.method === 'api_route') {
    const listed = keyword(call, 'methods');
    methods = listed === undefined ? ['GET'] : methodList(listed);
  }
  if (methods === undefined) return undefined;
  const status = statusValue(keyword(call, 'status_code'));
  return {
    methods,
    path,
    on: member.on,
    line: call.startPosition.row + 1,
    ...(status === undefined ? {} : { status }),
    ...(setsStatus(definition) ? { dynamicStatus: true } : {}),
  };
}

/** `app.add_api_route("/x", f, methods=[...])` (FastAPI) / `app.add_url_rule("/x", view_func=f, methods=[...])` (Flask). */
function callRoute(call: Node): DeclaredRoute | undefined {
  const member = memberCall(call);
  if (member?.method !== 'add_api_route' && member?.method !== 'add_url_rule') return undefined;
  const path = stringValue(positional(call, 0));
  const listed = keyword(call, 'methods');
  const methods = listed === undefined ? ['GET'] : methodList(listed);
  if (path === undefined || methods === undefined) return undefined;
  return { methods, path, on: member.on, line: call.startPosition.row + 1, dynamicStatus: true };
}

function readImports(statement: Node, bindings: FileRoutes['bindings']): void {
  if (statement.type === 'import_from_statement') {
    const module = statement.childForFieldName('module_name')?.text.replace(/\s+/g, '') ?? '';
    for (const name of statement.childrenForFieldName('name')) {
      if (name === null) continue;
      const original = name.type === 'aliased_import' ? (name.childForFieldName('name')?.text ?? '') : name.text;
      const local = name.type === 'aliased_import' ? (name.childForFieldName('alias')?.text ?? '') : name.text;
      bindings[local] = { module, name: original };
    }
  } else if (statement.type === 'import_statement') {
    for (const name of statement.childrenForFieldName('name')) {
      if (name === null) continue;
      if (name.type === 'aliased_import') bindings[name.childForFieldName('alias')?.text ?? ''] = { module: name.childForFieldName('name')?.text ?? '' };
      else bindings[name.text.split('.')[0] ?? name.text] = { module: name.text.split('.')[0] ?? name.text };
    }
  }
}

const routerFactories: Record<string, 'app' | 'router'> = { FastAPI: 'app', Flask: 'app', Quart: 'app', APIRouter: 'router', Blueprint: 'router' };

/**
 * What a Python file serves over HTTP, read from its syntax tree: FastAPI and Flask route
 * decorators (method and path, FastAPI's `status_code=`), `add_api_route`/`add_url_rule`, the
 * apps and routers it creates with their prefixes (`APIRouter(prefix=)`, `Blueprint(url_prefix=)`),
 * the routers it mounts (`include_router(x, prefix=)`, `register_blueprint(x, url_prefix=)`) and
 * its imports, so mounts can be followed across files. Nested (factory) definitions count too.
 */
export function pythonRoutes(root: Node): FileRoutes {
  const result: FileRoutes = { routes: [], routers: [], mounts: [], bindings: {} };
  for (const node of root.descendantsOfType(['decorated_definition', 'call', 'assignment', 'import_statement', 'import_from_statement'])) {
    if (node === null) continue;
    if (node.type === 'decorated_definition') {
      for (const decorator of childrenOf(node).filter((child) => child.type === 'decorator')) {
        const call = childrenOf(decorator)[0];
        const route = call?.type === 'call' ? decoratorRoute(call, node.childForFieldName('definition')) : undefined;
        if (route !== undefined) result.routes.push(route);
      }
    } else if (node.type === 'call') {
      if (node.parent?.type === 'decorator') continue;
      const route = callRoute(node);
      if (route !== undefined) result.routes.push(route);
      const member = memberCall(node);
      if (member?.method === 'include_router' || member?.method === 'register_blueprint') {
        const child = positional(node, 0)?.text ?? keyword(node, member.method === 'include_router' ? 'router' : 'blueprint')?.text;
        const prefix = stringValue(keyword(node, member.method === 'include_router' ? 'prefix' : 'url_prefix')) ?? '';
        if (child !== undefined) result.mounts.push({ parent: member.on, child, prefix, line: node.startPosition.row + 1 });
      }
    } else if (node.type === 'assignment') {
      const value = node.childForFieldName('right');
      const callee = value?.type === 'call' ? value.childForFieldName('function')?.text.split('.').at(-1) : undefined;
      const kind = callee === undefined ? undefined : routerFactories[callee];
      const name = node.childForFieldName('left');
      if (kind === undefined || value === null || value === undefined || name?.type !== 'identifier') continue;
      const prefix = stringValue(keyword(value, callee === 'Blueprint' ? 'url_prefix' : 'prefix')) ?? '';
      result.routers.push({ name: name.text, kind, prefix });
    } else readImports(node, result.bindings);
  }
  return result;
}
