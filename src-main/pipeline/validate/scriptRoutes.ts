import type { Node } from '@vscode/tree-sitter-wasm';
import { childrenOf, httpMethods, stringValue, type FileRoutes } from './routeShape.ts';

function args(call: Node): Node[] {
  return childrenOf(call.childForFieldName('arguments')).filter((argument) => argument.type !== 'comment');
}

function member(call: Node): { object: Node; property: string } | undefined {
  const callee = call.childForFieldName('function');
  const object = callee?.type === 'member_expression' ? callee.childForFieldName('object') : null;
  if (object === null || callee === null) return undefined;
  return { object, property: callee.childForFieldName('property')?.text ?? '' };
}

/** `require('./x')` → './x'. */
function requiredModule(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require') return undefined;
  return stringValue(args(node)[0]);
}

function readImport(statement: Node, bindings: FileRoutes['bindings']): void {
  const module = stringValue(statement.childForFieldName('source'));
  const clause = childrenOf(statement).find((child) => child.type === 'import_clause');
  if (module === undefined || clause === undefined) return;
  for (const part of childrenOf(clause)) {
    if (part.type === 'identifier') bindings[part.text] = { module, name: 'default' };
    else if (part.type === 'named_imports') {
      for (const specifier of childrenOf(part)) {
        const name = specifier.childForFieldName('name')?.text ?? '';
        bindings[specifier.childForFieldName('alias')?.text ?? name] = { module, name };
      }
    }
  }
}

/**
 * What an Express (or Express-like: Router, `app.route()`) file serves, read from its syntax
 * tree: `app.get('/x', ...)`, `router.delete(...)`, `app.all(...)`, `app.route('/x').get().post()`,
 * the apps and routers it creates (`express()`, `express.Router()`, `Router()`), the routers it
 * mounts (`app.use('/prefix', router)`), its imports and `require`s, and the router it exports.
 */
export function scriptRoutes(root: Node): FileRoutes {
  const result: FileRoutes = { routes: [], routers: [], mounts: [], bindings: {} };
  for (const node of root.descendantsOfType(['call_expression', 'variable_declarator', 'import_statement', 'export_statement', 'assignment_expression'])) {
    if (node === null) continue;
    if (node.type === 'import_statement') readImport(node, result.bindings);
    else if (node.type === 'variable_declarator') {
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      const required = requiredModule(value);
      if (name?.type === 'identifier' && required !== undefined) result.bindings[name.text] = { module: required, name: 'default' };
      const callee = value?.type === 'call_expression' ? value.childForFieldName('function')?.text : undefined;
      if (name?.type === 'identifier' && callee !== undefined) {
        if (/^(express|Koa|fastify)$/.test(callee)) result.routers.push({ name: name.text, kind: 'app', prefix: '' });
        else if (/(^|\.)Router$/.test(callee)) result.routers.push({ name: name.text, kind: 'router', prefix: '' });
      }
    } else if (node.type === 'export_statement') {
      const value = node.childForFieldName('value');
      if (value?.type === 'identifier') result.exported = value.text;
    } else if (node.type === 'assignment_expression') {
      const right = node.childForFieldName('right');
      if (/^(module\.)?exports$/.test(node.childForFieldName('left')?.text ?? '') && right?.type === 'identifier') result.exported = right.text;
    } else {
      const called = member(node);
      if (called === undefined) continue;
      const [first, second] = args(node);
      const method = called.property.toLowerCase();
      if (method === 'use') {
        const prefix = stringValue(first);
        const child = prefix === undefined ? first : second;
        if (child !== undefined && (child.type === 'identifier' || child.type === 'member_expression' || requiredModule(child) !== undefined)) {
          result.mounts.push({ parent: called.object.text, child: child.text, prefix: prefix ?? '', line: node.startPosition.row + 1 });
        }
        continue;
      }
      if (!(httpMethods as readonly string[]).includes(method) && method !== 'all') continue;
      // app.route('/x').get(h).post(h): the path is on the innermost `.route()` call of the chain.
      let object = called.object;
      while (object.type === 'call_expression' && member(object)?.property !== 'route') object = member(object)?.object ?? object;
      const chained = object.type === 'call_expression' ? member(object) : undefined;
      const path = chained?.property === 'route' ? stringValue(args(object)[0]) : args(node).length >= 2 ? stringValue(first) : undefined;
      const on = chained?.property === 'route' ? chained.object.text : called.object.text;
      // `res.status(201).json(...)`-style calls are not routes: the path must look like one.
      if (path === undefined || !(path.startsWith('/') || path === '*')) continue;
      result.routes.push({ methods: [method === 'all' ? '*' : method.toUpperCase()], path, on, line: node.startPosition.row + 1, dynamicStatus: true });
    }
  }
  return result;
}
