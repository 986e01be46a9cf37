import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { ConsistencyFinding } from './ConsistencyFinding.ts';
import { parsePromisedExport } from './parsePromisedExport.ts';
import type { ProjectRoute, ProjectRouteTable } from './projectRoutes.ts';
import { routeMatches, routeShape } from './routeShape.ts';

/** A plan's endpoint promise, with the plan file that makes it. */
export interface PromisedEndpoint {
  file: string;
  method: string;
  path: string;
  status?: number;
}

export function promisedEndpoints(plan: readonly PlanFile[]): PromisedEndpoint[] {
  return plan.flatMap((file) =>
    file.exports.flatMap((entry) => {
      const promise = parsePromisedExport(entry);
      if (promise?.kind !== 'endpoint') return [];
      return [{ file: file.path, method: promise.method, path: promise.path, ...(promise.status === undefined ? {} : { status: promise.status }) }];
    }),
  );
}

/** Whether `shape` ends with `suffix` segment by segment, with at least one fixed segment in the suffix. */
function endsWithRoute(shape: string, suffix: string): boolean {
  const whole = routeShape(shape).split('/').filter(Boolean);
  const tail = routeShape(suffix).split('/').filter(Boolean);
  if (tail.length === 0 || tail.length > whole.length || tail.every((part) => part === '{}')) return false;
  return routeMatches(`/${tail.join('/')}`, `/${whole.slice(whole.length - tail.length).join('/')}`);
}

/**
 * The routes that answer a path: resolved routes whose full path matches, and routes whose prefix
 * we could not follow whose declared path ends the requested one (a prefix set somewhere we
 * cannot see).
 */
export function routesAt(table: ProjectRouteTable, path: string): ProjectRoute[] {
  return table.routes.filter((route) => (route.resolved ? routeMatches(route.fullPath, path) : routeMatches(route.fullPath, path) || endsWithRoute(path, route.fullPath)));
}

export function servesMethod(route: ProjectRoute, method: string): boolean {
  return route.methods.includes(method) || route.methods.includes('*') || (method === 'HEAD' && route.methods.includes('GET'));
}

function where(route: ProjectRoute): string {
  return `${route.file} line ${route.line}`;
}

/** The success status a route answers with when its handler does not set one: FastAPI/Flask default to 200. */
export function routeStatus(route: ProjectRoute): number | undefined {
  if (route.status !== undefined) return route.status;
  return route.dynamicStatus === true || !route.file.endsWith('.py') ? undefined : 200;
}

/**
 * Each endpoint the plan promises (`DELETE /rules/{id}`) must be served with that method on that
 * path (parameters compared by position), with the promised success status when the plan states
 * one. A path served only with other methods is a finding on the plan file that promised it; a
 * path nobody serves is one too when every router's prefix could be followed (otherwise the
 * per-file interface check has the say). A differing declared status is a finding on the route's file.
 */
export function checkPlannedRoutes(plan: readonly PlanFile[], table: ProjectRouteTable): ConsistencyFinding[] {
  const findings: ConsistencyFinding[] = [];
  for (const promise of promisedEndpoints(plan)) {
    const target = `${promise.method} ${promise.path}`;
    const atPath = routesAt(table, promise.path);
    const served = atPath.filter((route) => servesMethod(route, promise.method));
    if (served.length === 0) {
      const mine = atPath.find((route) => route.file === promise.file) ?? atPath[0];
      let message: string | undefined;
      if (mine !== undefined) {
        const methods = [...new Set(atPath.flatMap((route) => route.methods))].join(', ');
        message = `promises the endpoint \`${target}\`, but ${routeShape(promise.path)} is served only for ${methods} (${where(mine)}: ${mine.methods.join('/')} ${mine.path}); add a ${promise.method} route for it`;
      } else if (table.complete && table.routes.length > 0) {
        message = `promises the endpoint \`${target}\`, but no route of the app serves ${routeShape(promise.path)} (routes: ${[...new Set(table.routes.map((route) => `${route.methods.join('/')} ${route.fullPath}`))].slice(0, 12).join(', ')})`;
      }
      if (message !== undefined) {
        const line = mine?.file === promise.file ? mine.line : 1;
        findings.push({ path: promise.file, line, kind: 'route', target, message: `${promise.file} line ${line} ${message}` });
      }
      continue;
    }
    if (promise.status === undefined) continue;
    for (const route of served) {
      const status = routeStatus(route);
      if (status === undefined || status === promise.status) continue;
      const how = route.status === undefined ? `answers with the default status ${status} (no status_code= on the route)` : `declares status_code=${status}`;
      findings.push({ path: route.file, line: route.line, kind: 'status', target, message: `${where(route)} ${how} for \`${target}\`, but the plan promises ${promise.status}` });
    }
  }
  return findings;
}
