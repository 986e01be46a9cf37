import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { ConsistencyFinding } from './ConsistencyFinding.ts';
import { promisedEndpoints, routesAt, routeStatus, servesMethod } from './checkPlannedRoutes.ts';
import type { ProjectRouteTable } from './projectRoutes.ts';
import { routeMatches, routeShape } from './routeShape.ts';
import type { TestRequest } from './testRequests.ts';

/** Statuses a test expects when it probes a route that should not exist or not allow the method. */
const expectsMissing = new Set([404, 405, 501]);

/**
 * A test's requests against the plan and the app: a request with a method and path that neither
 * the plan promises nor any route serves (when every router prefix could be followed) is a
 * finding on the test file, unless it asserts 404/405; a success status (2xx) asserted against
 * a route the plan promises another success status for, or that the route itself declares
 * otherwise when the plan states none, is a finding on the test file too.
 */
export function checkTestRequests(path: string, requests: readonly TestRequest[], plan: readonly PlanFile[], table: ProjectRouteTable): ConsistencyFinding[] {
  const promises = promisedEndpoints(plan);
  const findings: ConsistencyFinding[] = [];
  for (const request of requests) {
    const target = `${request.method} ${request.path}`;
    const promise = promises.find((candidate) => candidate.method === request.method && routeMatches(candidate.path, request.path));
    const atPath = routesAt(table, request.path);
    const served = atPath.filter((route) => servesMethod(route, request.method));
    if (promise === undefined && served.length === 0) {
      if (!table.complete || table.routes.length === 0 || (request.expected !== undefined && expectsMissing.has(request.expected))) continue;
      const others = [...new Set(atPath.flatMap((route) => route.methods))];
      const planned = promises.filter((candidate) => routeMatches(candidate.path, request.path)).map((candidate) => `${candidate.method} ${candidate.path}`);
      const what =
        others.length > 0
          ? `the app serves ${atPath[0]?.fullPath ?? routeShape(request.path)} only for ${others.join(', ')}${planned.length > 0 ? ` and the plan promises only ${planned.join(', ')}` : ''}`
          : `neither the plan nor the app has a route for ${routeShape(request.path)} (plan: ${promises.map((candidate) => `${candidate.method} ${candidate.path}`).slice(0, 12).join(', ') || 'no endpoints'})`;
      findings.push({ path, line: request.line, kind: 'test-route', target, message: `${path} line ${request.line} requests \`${target}\`, but ${what}; test only the promised endpoints` });
      continue;
    }
    const expected = request.expected;
    if (expected === undefined || expected < 200 || expected > 299) continue;
    const line = request.expectedLine ?? request.line;
    if (promise?.status !== undefined) {
      if (expected !== promise.status) {
        findings.push({ path, line, kind: 'test-status', target, message: `${path} line ${line} expects status ${expected} from \`${target}\`, but the plan promises ${promise.status} for \`${promise.method} ${promise.path}\` (${promise.file})` });
      }
      continue;
    }
    // No status in the plan: a route that declares its success status explicitly is the reference.
    const declared = served.find((route) => route.status !== undefined && routeStatus(route) !== expected);
    if (declared?.status !== undefined && served.every((route) => route.status !== undefined)) {
      findings.push({
        path,
        line,
        kind: 'test-status',
        target,
        message: `${path} line ${line} expects status ${expected} from \`${target}\`, but ${declared.file} line ${declared.line} declares status_code=${declared.status} for it (the plan states no status)`,
      });
    }
  }
  return findings;
}
