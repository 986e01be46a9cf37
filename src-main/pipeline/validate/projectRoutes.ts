import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { isPythonModuleLocation, PythonModuleIndex } from './PythonModuleIndex.ts';
import { pythonRoutes } from './pythonRoutes.ts';
import { isRelativeSpecifier, resolveScriptModule } from './resolveScriptModule.ts';
import { joinRoute, type DeclaredRoute, type FileRoutes } from './routeShape.ts';
import { scriptRoutes } from './scriptRoutes.ts';
import { grammarOf, withSyntaxTree } from './withSyntaxTree.ts';

/** A route with the path a client requests: the router prefixes and mount prefixes applied. */
export interface ProjectRoute extends DeclaredRoute {
  file: string;
  /** The full path when the router is mounted on an app we can follow; the declared path (plus its router's own prefix) otherwise. */
  fullPath: string;
  /** Whether fullPath is known: its router reaches an app through mounts we could follow. */
  resolved: boolean;
}

export interface ProjectRouteTable {
  routes: ProjectRoute[];
  /** Every mount's child was found and every route's router reaches an app: a missing route is really missing. */
  complete: boolean;
}

type Key = string;
const keyOf = (file: string, name: string): Key => `${file}#${name}`;

class RouteGraph {
  private readonly python: PythonModuleIndex;
  private readonly paths: ReadonlySet<string>;
  private readonly files: ReadonlyMap<string, FileRoutes>;
  complete = true;

  constructor(files: ReadonlyMap<string, FileRoutes>) {
    this.files = files;
    this.paths = new Set(files.keys());
    this.python = new PythonModuleIndex(files.keys());
  }

  private resolvePython(module: string, from: string): string | undefined {
    const found = this.python.resolve(module, from);
    return isPythonModuleLocation(found) && found.kind !== 'namespace' ? found.path : undefined;
  }

  /** The router object an expression names: a local router, `module.router`, or an imported name. */
  resolve(expression: string, from: string): Key | undefined {
    const routes = this.files.get(from);
    if (routes === undefined) return undefined;
    if (from.endsWith('.py')) {
      const parts = expression.split('.');
      const head = parts[0] ?? '';
      const binding = routes.bindings[head];
      if (binding === undefined) return parts.length === 1 ? keyOf(from, head) : undefined;
      if (binding.name !== undefined) {
        const sub = binding.module.endsWith('.') ? `${binding.module}${binding.name}` : `${binding.module}.${binding.name}`;
        const asModule = this.resolvePython(sub, from);
        if (asModule !== undefined && parts.length === 2) return keyOf(asModule, parts[1] ?? '');
        const file = this.resolvePython(binding.module, from);
        return file === undefined || parts.length !== 1 ? undefined : keyOf(file, binding.name);
      }
      const module = [binding.module, ...parts.slice(1, -1)].join('.');
      const file = this.resolvePython(module, from);
      return file === undefined || parts.length < 2 ? undefined : keyOf(file, parts.at(-1) ?? '');
    }
    const required = /^require\(\s*['"`]([^'"`]+)['"`]\s*\)$/.exec(expression)?.[1];
    const binding = required === undefined ? routes.bindings[expression] : { module: required, name: 'default' };
    if (binding === undefined) return /^[\w$]+$/.test(expression) ? keyOf(from, expression) : undefined;
    if (!isRelativeSpecifier(binding.module)) return undefined;
    const found = resolveScriptModule(binding.module, from, this.paths);
    if (!('path' in found)) return undefined;
    const name = binding.name === 'default' ? this.files.get(found.path)?.exported : binding.name;
    return name === undefined ? undefined : keyOf(found.path, name);
  }

  /** Every full prefix each router is reachable under, from the apps down through mounts. */
  prefixes(): Map<Key, string[]> {
    const routers = new Map<Key, { kind: 'app' | 'router'; prefix: string }>();
    const edges = new Map<Key, { child: Key; prefix: string }[]>();
    const mounted = new Set<Key>();
    for (const [file, routes] of this.files) {
      for (const router of routes.routers) routers.set(keyOf(file, router.name), router);
      for (const mount of routes.mounts) {
        const parent = this.resolve(mount.parent, file);
        const child = this.resolve(mount.child, file);
        if (parent === undefined || child === undefined) {
          this.complete = false;
          continue;
        }
        edges.set(parent, [...(edges.get(parent) ?? []), { child, prefix: mount.prefix }]);
        mounted.add(child);
      }
    }
    const result = new Map<Key, string[]>();
    const visit = (key: Key, prefix: string, depth: number): void => {
      const full = joinRoute(prefix, routers.get(key)?.prefix ?? '');
      const known = result.get(key) ?? [];
      if (depth > 8 || known.includes(full)) return;
      result.set(key, [...known, full]);
      for (const edge of edges.get(key) ?? []) visit(edge.child, joinRoute(full, edge.prefix), depth + 1);
    };
    for (const [key, router] of routers) if (router.kind === 'app' && !mounted.has(key)) visit(key, '', 0);
    return result;
  }
}

/**
 * The project's HTTP routes with their full paths (FastAPI, Flask, Express): each file's route
 * declarations, apps and routers, and mounts followed across files. A route whose router no app
 * reaches keeps its declared path (plus its router's prefix) and `resolved: false`.
 */
export async function projectRoutes(files: readonly { path: string; language: FileLanguage; content: string }[]): Promise<ProjectRouteTable> {
  const parsed = new Map<string, FileRoutes>();
  for (const file of files) {
    const { language } = file;
    if (language !== 'python' && language !== 'typescript' && language !== 'javascript') continue;
    parsed.set(file.path, await withSyntaxTree(grammarOf(language, file.path), file.content, (root) => (language === 'python' ? pythonRoutes(root) : scriptRoutes(root))));
  }
  const graph = new RouteGraph(parsed);
  const prefixes = graph.prefixes();
  const routes: ProjectRoute[] = [];
  let complete = graph.complete;
  for (const [file, declared] of parsed) {
    for (const route of declared.routes) {
      const key = graph.resolve(route.on, file);
      const full = key === undefined ? undefined : prefixes.get(key);
      if (full === undefined || full.length === 0) {
        complete = false;
        const own = declared.routers.find((router) => router.name === route.on)?.prefix ?? '';
        routes.push({ ...route, file, fullPath: joinRoute(own, route.path), resolved: false });
      } else routes.push(...full.map((prefix) => ({ ...route, file, fullPath: joinRoute(prefix, route.path), resolved: true })));
    }
  }
  return { routes, complete };
}
