import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';

/** A route the plan promises with its status code: `POST /rules -> 201`, `DELETE /rules/{id} (204)`. */
export interface PromisedStatus {
  method: string;
  path: string;
  status: number;
  /** The file whose interface promises it. */
  file: string;
  entry: string;
}

const routeEntry = /^\s*(GET|POST|PUT|PATCH|DELETE)\s+(\/\S*)(.*)$/i;

export function promisedStatuses(plan: readonly PlanFile[]): PromisedStatus[] {
  return plan.flatMap((file) =>
    file.exports.flatMap((entry) => {
      const route = routeEntry.exec(entry);
      const status = route ? /\b([1-5]\d\d)\b/.exec(route[3] ?? '') : null;
      return route && status ? [{ method: route[1]!.toUpperCase(), path: route[2]!, status: Number(status[1]), file: file.path, entry: entry.trim() }] : [];
    }),
  );
}

/** `/rules/{id}` matches `/rules/7` and `/rules/{rule_id}`; query strings are ignored. */
function samePath(promised: string, called: string): boolean {
  const pattern = promised
    .split('/')
    .map((segment) => (/^[{:<]/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`).test(called.split('?')[0] ?? called);
}

/**
 * The promised routes a test file calls, from its client calls: `client.post("/rules", ...)`,
 * `request(app).delete('/rules/1')`, `fetch(url + '/rules', { method: 'POST' })` is not read.
 */
export function routesCalled(testContent: string, promised: readonly PromisedStatus[]): PromisedStatus[] {
  const calls = [...testContent.matchAll(/\.(get|post|put|patch|delete)\(\s*f?["'`]([^"'`\s]{1,300})["'`]/gi)].map((match) => ({ method: match[1]!.toUpperCase(), path: match[2]! }));
  return promised.filter((route) => calls.some((call) => call.method === route.method && samePath(route.path, call.path)));
}
