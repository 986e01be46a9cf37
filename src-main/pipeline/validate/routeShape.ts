import type { Node } from '@vscode/tree-sitter-wasm';

/** One route a file serves, as its framework's decorator or call declares it. */
export interface DeclaredRoute {
  /** GET, POST, ...; `*` for Express `app.all`; WS for websockets. */
  methods: string[];
  /** The path as written on the decorator/call, before any router prefix. */
  path: string;
  /** The router or app object it is declared on (`app`, `router`, `bp`). */
  on: string;
  line: number;
  /** FastAPI `status_code=`: the declared success status, when written. */
  status?: number;
  /** The handler sets or returns a status itself (`Response`, `status_code` in its body): declared status is not the whole story. */
  dynamicStatus?: boolean;
}

/** `X = APIRouter(prefix=...)`, `Blueprint(..., url_prefix=...)`, `express.Router()`, `FastAPI()`. */
export interface DeclaredRouter {
  name: string;
  kind: 'app' | 'router';
  prefix: string;
}

/** `parent.include_router(child, prefix=...)`, `register_blueprint`, Express `parent.use('/p', child)`. */
export interface RouterMount {
  parent: string;
  /** The child as written: `routes.router`, `rules_router`, `require('./rules')`. */
  child: string;
  prefix: string;
  line: number;
}

export interface FileRoutes {
  routes: DeclaredRoute[];
  routers: DeclaredRouter[];
  mounts: RouterMount[];
  /** Python: local name → where it was imported from (`routes` → `{ module: '.', name: 'routes' }`). */
  bindings: Record<string, { module: string; name?: string }>;
  /** TS/JS: the router a module exports (`export default router`, `module.exports = router`). */
  exported?: string;
}

export const httpMethods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;

export function childrenOf(node: Node | null): Node[] {
  return (node?.namedChildren ?? []).filter((child): child is Node => child !== null);
}

/**
 * The value of a string literal node (Python or JS/TS); for an f-string or template literal the
 * interpolations become `{}` (a path parameter) when `allowInterpolation`, else undefined.
 */
export function stringValue(node: Node | null | undefined, allowInterpolation = false): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'concatenated_string') {
    const parts = childrenOf(node).map((part) => stringValue(part, allowInterpolation));
    return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  let value = '';
  for (const part of childrenOf(node)) {
    if (part.type === 'string_content' || part.type === 'string_fragment') value += part.text;
    else if (part.type === 'escape_sequence') value += part.text.slice(1);
    else if (part.type === 'interpolation' || part.type === 'template_substitution') {
      if (!allowInterpolation) return undefined;
      value += '{}';
    }
  }
  return value;
}

/** Joins a prefix and a path the way routers do: `/rules` + `/{id}` → `/rules/{id}`, `/rules` + `` → `/rules`. */
export function joinRoute(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '' || path === '/') return prefix.replace(/\/+$/, '') || '/';
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The shape of a route for comparison: parameters by position, not name (`{id}`, `{rule_id}`,
 * `:id`, `<int:id>` all `{}`), no trailing slash, no query. Concrete request paths
 * (`/rules/1`) keep their values; {@link routeMatches} lets a parameter take any one segment.
 */
export function routeShape(path: string): string {
  const shaped = path
    .replace(/[?#].*$/, '')
    .replace(/\{[^}]*\}|<[^>]*>|:[A-Za-z_]\w*\??/g, '{}')
    .replace(/\/+$/, '');
  return shaped.startsWith('/') ? shaped : `/${shaped}`;
}

/** Whether a concrete or shaped request path (`/rules/1`, `/rules/{}`) fits a declared route shape. */
export function routeMatches(route: string, request: string): boolean {
  const declared = routeShape(route).split('/');
  const wanted = routeShape(request).split('/');
  if (declared.length !== wanted.length) {
    // `{path:path}` / `*` take the rest.
    return declared.at(-1) === '*' && wanted.length >= declared.length - 1 && declared.slice(0, -1).every((part, index) => part === '{}' || part === wanted[index]);
  }
  return declared.every((part, index) => part === '{}' || wanted[index] === '{}' || part === wanted[index] || part === '*');
}

/** `status.HTTP_201_CREATED`, `HTTPStatus.CREATED` (by name), `201` → 201. */
export function statusValue(node: Node | null | undefined): number | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'integer' || node.type === 'number') return /^[1-5]\d\d$/.test(node.text) ? Number(node.text) : undefined;
  const named = /HTTP_(\d{3})\w*$/.exec(node.text);
  if (named?.[1] !== undefined) return Number(named[1]);
  const statusNames: Record<string, number> = { OK: 200, CREATED: 201, ACCEPTED: 202, NO_CONTENT: 204 };
  const byName = /HTTPStatus\.([A-Z_]+)$/.exec(node.text)?.[1];
  return byName === undefined ? undefined : statusNames[byName];
}
