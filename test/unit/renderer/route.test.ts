import { describe, expect, it } from 'vitest';
import { formatRoute, homeRoute, parseRoute, type Route } from '../../../src-renderer/features/navigation/route.ts';

const runRoute: Route = { view: 'projects', projectId: 'p-1', projectPage: 'pipeline', runId: 'r-2', runTab: 'tests', file: 'app/main.py', version: 3 };

describe('routes: every page and selection has an address', () => {
  it.each<[string, Route]>([
    ['/projects', homeRoute],
    ['/providers', { ...homeRoute, view: 'providers' }],
    ['/usage', { ...homeRoute, view: 'usage' }],
    ['/settings', { ...homeRoute, view: 'settings' }],
    ['/projects/p-1', { ...homeRoute, projectId: 'p-1' }],
    ['/projects/p-1/runs', { ...homeRoute, projectId: 'p-1', projectPage: 'pipeline' }],
    ['/projects/p-1/runs/r-2', { ...homeRoute, projectId: 'p-1', projectPage: 'pipeline', runId: 'r-2' }],
    ['/projects/p-1/runs/r-2?tab=tests&file=app%2Fmain.py&version=3', runRoute],
  ])('%s is formatted and parsed back alike', (address, route) => {
    expect(formatRoute(route)).toBe(address);
    expect(parseRoute(address)).toEqual(route);
  });

  it('names no route for a token, an empty hash or a path that is not ours', () => {
    for (const address of ['', 'token=abc', '/nowhere', '/projects/p-1/elsewhere', '/projects/a b', '/providers/x', '/projects/p/runs/r/extra', '/projects/%E0%A4%A']) {
      expect(parseRoute(address), address).toBeNull();
    }
  });

  it('drops a version without a file, a version that is not a whole number from 1, and an unknown tab', () => {
    expect(parseRoute('/projects/p/runs/r?version=2')).toMatchObject({ file: null, version: null });
    expect(parseRoute('/projects/p/runs/r?file=a.py&version=0')).toMatchObject({ file: 'a.py', version: null });
    expect(parseRoute('/projects/p/runs/r?file=a.py&version=1.5')).toMatchObject({ version: null });
    expect(parseRoute('/projects/p/runs/r?tab=secret')).toMatchObject({ runTab: 'files' });
  });
});
