import { isViewId, type ViewId } from './views.ts';

/** The pages of an open project: its interview and spec, or its generation runs. */
export type ProjectPage = 'interview' | 'pipeline';
/** The tabs of a finished run. */
export type RunTab = 'files' | 'tests';

/**
 * Where the app is: the view, and inside Projects the open project, its page and, on the runs
 * page, the selected run, its tab, file and version. Every field is in the address.
 */
export interface Route {
  view: ViewId;
  /** The project whose page is open (inside the Projects view), or null for the list. */
  projectId: string | null;
  projectPage: ProjectPage;
  runId: string | null;
  runTab: RunTab;
  /** The file picked in the run's tree. */
  file: string | null;
  /** The picked file's version shown (1-based, as the user sees it), or null for the latest. */
  version: number | null;
}

export const homeRoute: Route = { view: 'projects', projectId: null, projectPage: 'interview', runId: null, runTab: 'files', file: null, version: null };

// Ids are uuids and run ids alike; anything else in the address is not ours to open.
const idPattern = /^[\w-]{1,100}$/;
const maxFileLength = 500;

/**
 * The address of a route, after the `#`: `/projects`, `/projects/<id>`, `/projects/<id>/runs`,
 * `/projects/<id>/runs/<run>?tab=tests&file=src%2Fapp.py&version=2`, `/providers`, `/usage`,
 * `/settings`. A hash route works alike under `app://` and the serve bridge's one static page.
 */
export function formatRoute(route: Route): string {
  if (route.view !== 'projects') return `/${route.view}`;
  if (route.projectId === null) return '/projects';
  const project = `/projects/${encodeURIComponent(route.projectId)}`;
  if (route.projectPage === 'interview') return project;
  if (route.runId === null) return `${project}/runs`;
  const query = new URLSearchParams();
  if (route.runTab !== 'files') query.set('tab', route.runTab);
  if (route.file !== null) query.set('file', route.file);
  if (route.file !== null && route.version !== null) query.set('version', String(route.version));
  const search = query.toString();
  return `${project}/runs/${encodeURIComponent(route.runId)}${search === '' ? '' : `?${search}`}`;
}

/** The route an address names (the hash without `#`), or null when it names none (empty, a token, garbage). */
export function parseRoute(address: string): Route | null {
  if (!address.startsWith('/')) return null;
  const [path = '', search = ''] = address.split('?', 2);
  const decoded = path.split('/').slice(1).map(safeDecode);
  if (decoded.some((part) => part === null)) return null;
  const parts = decoded as string[];
  const [first, projectId, page, runId, ...rest] = parts;
  if (rest.length > 0) return null;
  if (first !== 'projects') {
    return isViewId(first) && parts.length === 1 ? { ...homeRoute, view: first } : null;
  }
  if (projectId === undefined || projectId === '') return homeRoute;
  if (!idPattern.test(projectId)) return null;
  if (page === undefined || page === 'interview') return { ...homeRoute, projectId, projectPage: 'interview' };
  if (page !== 'runs') return null;
  const route: Route = { ...homeRoute, projectId, projectPage: 'pipeline' };
  if (runId === undefined || runId === '') return route;
  if (!idPattern.test(runId)) return null;
  const query = new URLSearchParams(search);
  const file = query.get('file');
  const version = Number(query.get('version'));
  return {
    ...route,
    runId,
    runTab: query.get('tab') === 'tests' ? 'tests' : 'files',
    file: file !== null && file !== '' && file.length <= maxFileLength ? file : null,
    version: file !== null && Number.isInteger(version) && version >= 1 ? version : null,
  };
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function isRunTab(value: unknown): value is RunTab {
  return value === 'files' || value === 'tests';
}

export type { ViewId };
