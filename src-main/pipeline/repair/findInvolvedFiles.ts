import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { SandboxResult, TestCase } from '../../../src-shared/sandbox/sandboxTypes.ts';

/** The failing cases of a result (failures and errors). */
export function failingCases(result: Pick<SandboxResult, 'cases'>): TestCase[] {
  return result.cases.filter((testCase) => testCase.status === 'failed' || testCase.status === 'error');
}

/** `tests.test_store` or `tests/test_store.py::test_x` → the project path of the test file, when it is one. */
export function testFileOf(testCase: TestCase, paths: ReadonlySet<string>): string | undefined {
  const candidates = [testCase.file, testCase.classname?.replaceAll('.', '/').concat('.py'), testCase.name.split('::')[0]];
  return candidates.find((candidate): candidate is string => candidate !== undefined && paths.has(candidate));
}

/**
 * The files a repair round should ask fixes for: project files named in the failures' messages and
 * tracebacks (or, without cases, in the log). Source files first; when only tests are named, the
 * source files those tests depend on; the tests themselves only when nothing else fits, so the
 * model is not invited to weaken a test that caught a real bug. At most `limit` files, in plan order.
 */
export function findInvolvedFiles(result: Pick<SandboxResult, 'cases' | 'log'>, plan: readonly PlanFile[], limit = 4): PlanFile[] {
  const paths = new Set(plan.map((file) => file.path));
  const failing = failingCases(result);
  const text = failing.length > 0 ? failing.map((testCase) => `${testCase.message ?? ''}\n${testCase.details ?? ''}`).join('\n') : result.log;
  const mentioned = new Set(plan.filter((file) => new RegExp(`(^|[\\s"'/(:])${escapeRegExp(file.path)}\\b`, 'm').test(text)).map((file) => file.path));
  for (const testCase of failing) {
    const testFile = testFileOf(testCase, paths);
    if (testFile) mentioned.add(testFile);
  }
  const involved = plan.filter((file) => mentioned.has(file.path) && file.kind !== 'doc');
  const sources = involved.filter((file) => file.kind !== 'test');
  if (sources.length > 0) return sources.slice(0, limit);
  // Only tests are named (an assertion failed in the test): what they test comes first, and of
  // that, per failing test file, the modules its failure text names (`store.list()` → store.py).
  const textOf = (test: PlanFile) =>
    failing
      .filter((testCase) => testFileOf(testCase, paths) === test.path)
      .map((testCase) => `${testCase.message ?? ''}\n${testCase.details ?? ''}`)
      .join('\n');
  const tested = new Set(
    involved.flatMap((test) => {
      const sources = test.dependsOn.filter((path) => plan.find((file) => file.path === path)?.kind === 'source');
      const text = textOf(test);
      const named = sources.filter((path) => new RegExp(`\\b${escapeRegExp(moduleName(path))}\\b`).test(text));
      return named.length > 0 ? named : test.dependsOn;
    }),
  );
  const under = plan.filter((file) => tested.has(file.path) && file.kind === 'source');
  return (under.length > 0 ? under : involved).slice(0, limit);
}

/** The failing tests' own files, given to the fix prompt as context. */
export function failingTestFiles(result: Pick<SandboxResult, 'cases'>, plan: readonly PlanFile[]): PlanFile[] {
  const paths = new Set(plan.map((file) => file.path));
  const tests = new Set(failingCases(result).map((testCase) => testFileOf(testCase, paths)));
  return plan.filter((file) => tests.has(file.path));
}

/** `app/store.py` → `store`. */
function moduleName(path: string): string {
  return (path.split('/').at(-1) ?? path).replace(/\.[^.]+$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
