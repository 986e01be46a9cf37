import { describe, expect, it } from 'vitest';
import { checkPlan, findCycle, type PlanProblem } from '../../../src-shared/pipeline/checkPlan.ts';
import { maxPlanFiles, type Plan, type PlanFile } from '../../../src-shared/pipeline/plan.ts';

function file(path: string, dependsOn: string[] = [], extra: Partial<PlanFile> = {}): PlanFile {
  return { path, purpose: `the ${path} file`, language: 'python', kind: 'source', dependsOn, exports: [], ...extra };
}

const testFile = (path = 'tests/test_app.py', dependsOn: string[] = []) => file(path, dependsOn, { kind: 'test' });

function plan(...files: PlanFile[]): Plan {
  return { files, install: 'pip install -r requirements.txt', test: 'pytest -q' };
}

function problems(input: Plan): PlanProblem[] {
  const checked = checkPlan(input);
  if (checked.ok) throw new Error('expected the plan to be refused');
  return checked.problems;
}

describe('checkPlan', () => {
  it('accepts a sound plan and returns it with normalised paths and dependencies', () => {
    const checked = checkPlan(plan(file('./app/models.py'), file('app/store.py', ['./app/models.py', 'app/models.py']), testFile('tests/test_store.py', ['app/store.py'])));
    expect(checked).toEqual({
      ok: true,
      plan: plan(file('app/models.py', [], { purpose: 'the ./app/models.py file' }), file('app/store.py', ['app/models.py']), testFile('tests/test_store.py', ['app/store.py'])),
    });
  });

  it.each([
    ['../evil.py', 'leaves the project folder'],
    ['/etc/cron.d/job', 'is absolute'],
    ['C:\\Users\\x.py', 'Windows drive path'],
    ['\\\\host\\share\\x.py', 'network (UNC) path'],
    ['aux.py', 'Windows reserves for devices'],
    ['app/CON', 'Windows reserves for devices'],
    ['.git/hooks/post-checkout', 'which the app manages itself'],
  ])('refuses the unsafe path %j, naming it', (path, reason) => {
    const found = problems(plan(file('app/main.py'), file(path), testFile()));
    expect(found).toEqual([{ kind: 'unsafe-path', path, message: expect.stringContaining(reason) }]);
    expect(found[0]?.message).toContain(JSON.stringify(path));
  });

  it('refuses two paths that differ only by case, naming both', () => {
    const found = problems(plan(file('app/Models.py'), file('app/models.py'), testFile()));
    expect(found).toEqual([{ kind: 'duplicate-path', path: 'app/models.py', message: '"app/models.py" and "app/Models.py" differ only by case; they cannot both exist on Windows or macOS' }]);
  });

  it('refuses a folder and a file path that differ only by case', () => {
    const found = problems(plan(file('App/main.py'), file('app/main.py'), testFile()));
    expect(found[0]).toMatchObject({ path: 'app/main.py', message: expect.stringContaining('"App/main.py"') });
  });

  it('refuses two names that differ only in Unicode normal form (macOS stores them as one)', () => {
    const composed = 'app/caf\u00e9.py';
    const decomposed = 'app/cafe\u0301.py';
    const found = problems(plan(file(composed), file(decomposed), testFile()));
    expect(found).toEqual([{ kind: 'duplicate-path', path: decomposed, message: `${JSON.stringify(decomposed)} and ${JSON.stringify(composed)} differ only in Unicode normal form; macOS stores them as one file` }]);
  });

  it('refuses a file that is also the folder of another, in either order and any case', () => {
    expect(problems(plan(file('app'), file('app/main.py'), testFile()))).toEqual([{ kind: 'file-is-folder', path: 'app/main.py', message: '"app" is a file, so "app/main.py" cannot be inside it' }]);
    expect(problems(plan(file('App/sub/main.py'), file('app/SUB', [], { language: 'text' }), testFile()))).toEqual([
      { kind: 'file-is-folder', path: 'App/sub/main.py', message: '"app/SUB" is a file, so "App/sub/main.py" cannot be inside it' },
    ]);
  });

  it('refuses a path planned twice, also when written differently', () => {
    expect(problems(plan(file('app/main.py'), file('app/main.py'), testFile()))).toEqual([{ kind: 'duplicate-path', path: 'app/main.py', message: '"app/main.py" is planned twice' }]);
    expect(problems(plan(file('app/main.py'), file('./app/main.py'), testFile()))).toEqual([{ kind: 'duplicate-path', path: './app/main.py', message: '"app/main.py" is planned twice' }]);
  });

  it('refuses a dependency that is not in the plan, naming both files', () => {
    expect(problems(plan(file('app/main.py', ['app/missing.py']), testFile()))).toEqual([{ kind: 'unknown-dependency', path: 'app/main.py', message: '"app/main.py" depends on "app/missing.py", which is not in the plan' }]);
  });

  it('refuses a dependency on an unsafe path as not in the plan, keeping it as written', () => {
    expect(problems(plan(file('app/main.py', ['../secrets.py']), testFile()))).toEqual([{ kind: 'unknown-dependency', path: 'app/main.py', message: '"app/main.py" depends on "../secrets.py", which is not in the plan' }]);
  });

  it('refuses a file that depends on itself without also calling it a cycle', () => {
    expect(problems(plan(file('app/main.py', ['./app/main.py']), testFile()))).toEqual([{ kind: 'depends-on-itself', path: 'app/main.py', message: '"app/main.py" depends on itself' }]);
  });

  it('refuses a dependency cycle, naming the files in order', () => {
    const found = problems(plan(file('app/a.py', ['app/c.py']), file('app/b.py', ['app/a.py']), file('app/c.py', ['app/b.py']), testFile()));
    expect(found).toEqual([{ kind: 'dependency-cycle', path: 'app/a.py', message: 'dependency cycle: app/a.py -> app/c.py -> app/b.py -> app/a.py' }]);
  });

  it('finds a cycle written with non-normal dependency paths', () => {
    const found = problems(plan(file('app/a.py', ['./app/b.py']), file('app/b.py', ['././app/a.py']), testFile()));
    expect(found).toEqual([{ kind: 'dependency-cycle', path: 'app/a.py', message: 'dependency cycle: app/a.py -> app/b.py -> app/a.py' }]);
  });

  it('refuses a plan without a test file', () => {
    expect(problems(plan(file('app/main.py')))).toEqual([{ kind: 'no-test-file', path: '', message: 'the plan has no test file; a generated service must come with its tests' }]);
  });

  it('refuses a plan with too many files, and accepts exactly the limit', () => {
    const many = (count: number) => plan(testFile(), ...Array.from({ length: count - 1 }, (_, index) => file(`app/m${index}.py`)));
    expect(checkPlan(many(maxPlanFiles)).ok).toBe(true);
    expect(problems(many(maxPlanFiles + 1))).toEqual([{ kind: 'too-many-files', path: '', message: `the plan has ${maxPlanFiles + 1} files; at most ${maxPlanFiles}` }]);
  });

  it('reports every problem at once, so one repair prompt can fix them all', () => {
    const found = problems(plan(file('../x.py'), file('app/a.py', ['app/b.py']), file('app/b.py', ['app/a.py']), file('app/c.py', ['app/gone.py'])));
    expect(found.map((problem) => problem.path)).toEqual(['../x.py', 'app/c.py', 'app/a.py', '']);
  });
});

describe('findCycle', () => {
  const node = (path: string, ...dependsOn: string[]) => ({ path, dependsOn });

  it('finds none in a chain, a diamond or an empty graph', () => {
    expect(findCycle([])).toBeUndefined();
    expect(findCycle([node('a'), node('b', 'a'), node('c', 'b')])).toBeUndefined();
    expect(findCycle([node('top', 'left', 'right'), node('left', 'bottom'), node('right', 'bottom'), node('bottom')])).toBeUndefined();
  });

  it('ignores self-edges and edges to unknown files (checkPlan reports those)', () => {
    expect(findCycle([node('a', 'a', 'ghost'), node('b', 'a')])).toBeUndefined();
  });

  it('returns the cycle as a closed path', () => {
    expect(findCycle([node('a', 'b'), node('b', 'a')])).toEqual(['a', 'b', 'a']);
  });

  it('returns only the cycle, not the path that led to it', () => {
    expect(findCycle([node('entry', 'x'), node('x', 'y'), node('y', 'z'), node('z', 'x')])).toEqual(['x', 'y', 'z', 'x']);
  });

  it('finds a cycle behind a node already fully explored', () => {
    expect(findCycle([node('a', 'b'), node('b'), node('c', 'b', 'd'), node('d', 'c')])).toEqual(['c', 'd', 'c']);
  });
});
