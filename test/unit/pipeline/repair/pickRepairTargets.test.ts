import { describe, expect, it } from 'vitest';
import type { PlanFile } from '../../../../src-shared/pipeline/plan.ts';
import type { TestCase } from '../../../../src-shared/sandbox/sandboxTypes.ts';
import { pickRepairTargets, type RepairEvidence } from '../../../../src-main/pipeline/repair/pickRepairTargets.ts';
import { projectFrames } from '../../../../src-main/pipeline/repair/failureEvidence.ts';
import { firewallFiles, firewallPlan } from '../../../support/pipelineProject.ts';

const plan: PlanFile[] = [
  ...firewallPlan.files.map((file) => (file.path === 'app/main.py' ? { ...file, exports: ['app', 'POST /rules -> 201 Created', 'GET /rules -> 200'] } : file)),
  { path: 'app/config.py', purpose: 'Settings from YAML', language: 'python', kind: 'source', dependsOn: ['requirements.txt'], exports: ['load_settings'] },
  { path: 'README.md', purpose: 'Docs', language: 'markdown', kind: 'doc', dependsOn: [], exports: [] },
];
const files: Record<string, string> = {
  ...firewallFiles,
  'app/config.py': 'import yaml\n\n\ndef load_settings(path):\n    return yaml.safe_load(open(path))\n',
  'tests/test_api.py': (firewallFiles['tests/test_api.py'] ?? '').replace('assert created.status_code == 200', 'assert created.status_code == 201'),
};
const read = (path: string) => files[path];

function failing(name: string, details: string, message?: string): TestCase {
  const [file] = name.split('::');
  return { name, classname: file!.replace(/\.py$/, '').replaceAll('/', '.'), status: 'failed', durationMs: 1, details, ...(message ? { message } : {}) };
}

function pick(evidence: Partial<RepairEvidence>, limit?: number) {
  return pickRepairTargets({ cases: [], log: '', ...evidence }, plan, read, limit).map((target) => ({ path: target.file.path, why: target.why, ...(target.addPackage ? { addPackage: target.addPackage } : {}) }));
}

describe('pickRepairTargets', () => {
  it('follows the traceback: the innermost project frame first, then the frames outward; not the test whose call failed', () => {
    const details = [
      'def test_create_and_list():',
      '        client = TestClient(app)',
      '>       created = client.post("/rules", json={"name": "ssh"})',
      '',
      'tests/test_api.py:8: ',
      '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _',
      '/usr/lib/python3/dist-packages/starlette/routing.py:74: in app',
      '    response = await func(request)',
      'app/main.py:13: in create_rule',
      '    return store.add(rule)',
      'app/store.py:10: in add',
      '    self._rules.push(rule)',
      "E   AttributeError: 'list' object has no attribute 'push'",
      '',
      'app/store.py:10: AttributeError',
    ].join('\n');
    const picked = pick({ cases: [failing('tests/test_api.py::test_create_and_list', details, "AttributeError: 'list' object has no attribute 'push'")] });
    expect(picked.map((target) => target.path)).toEqual(['app/store.py', 'app/main.py']);
    expect(picked[0]?.why[0]).toBe('innermost project frame of the traceback (app/store.py:10, in add)');
    expect(picked[1]?.why[0]).toBe('a frame of the traceback (app/main.py:13, in create_rule)');
  });

  it('reads a plain Python traceback (innermost last) and a Node stack (innermost first)', () => {
    const paths = new Set(['app/main.py', 'app/store.py', 'src/a.js', 'src/b.js']);
    const python = ['Traceback (most recent call last):', '  File "/sandbox/project/app/main.py", line 3, in <module>', '  File "/sandbox/project/app/store.py", line 9, in add', 'KeyError: 1'].join('\n');
    expect(projectFrames(python, paths).map((frame) => frame.path)).toEqual(['app/store.py', 'app/main.py']);
    const node = ['TypeError: x is not a function', '    at add (file:///sandbox/project/src/b.js:4:9)', '    at file:///sandbox/project/src/a.js:2:1', '    at node:internal/modules/run_main:1:1'].join('\n');
    expect(projectFrames(node, paths)).toEqual([
      { path: 'src/b.js', line: 4, fn: 'add' },
      { path: 'src/a.js', line: 2 },
    ]);
  });

  it('blames the test when its expected status contradicts the plan and the service answers what the plan promises', () => {
    const details = ['>       assert created.status_code == 200', 'E       assert 201 == 200', "E        +  where 201 = <Response [201 Created]>.status_code", '', 'tests/test_api.py:9: AssertionError'].join('\n');
    const wrongTest: Record<string, string> = { ...files, 'tests/test_api.py': firewallFiles['tests/test_api.py'] ?? '' };
    const picked = pickRepairTargets({ cases: [failing('tests/test_api.py::test_create_and_list', details, 'assert 201 == 200')], log: '' }, plan, (path) => wrongTest[path]);
    expect(picked.map((target) => [target.file.path, target.why])).toEqual([['tests/test_api.py', ['the test expects status 200, but the plan promises POST /rules -> 201 Created and the service answered 201']]]);
  });

  it('blames the file promising the route when the service answers another status than the plan and the test expect', () => {
    const details = ['>       assert created.status_code == 201', 'E       assert 200 == 201', '', 'tests/test_api.py:9: AssertionError'].join('\n');
    const picked = pick({ cases: [failing('tests/test_api.py::test_create_and_list', details, 'assert 200 == 201')] });
    expect(picked[0]).toEqual({ path: 'app/main.py', why: ['the plan promises POST /rules -> 201 Created here; the service answered 200'] });
    expect(picked.map((target) => target.path)).not.toContain('tests/test_api.py');
  });

  it('follows the dependencies transitively to the file defining the type the error names', () => {
    const details = [
      'tests/test_api.py:8: ',
      'app/main.py:13: in create_rule',
      '    return store.add(rule)',
      'E   pydantic_core._pydantic_core.ValidationError: 1 validation error for Rule',
      'E   action',
      "E     Input should be 'allow' or 'deny'",
      'app/main.py:13: ValidationError',
    ].join('\n');
    const picked = pick({ cases: [failing('tests/test_api.py::test_create_and_list', details, 'ValidationError: 1 validation error for Rule')] });
    expect(picked.map((target) => target.path)).toEqual(['app/main.py', 'app/models.py']);
    expect(picked[1]?.why).toEqual(['"Rule", named in the error, is defined here (reached from app/main.py through the plan\'s dependencies)']);
  });

  it('sends a missing third-party package to the manifest with the distribution to add, not to the file importing it', () => {
    const details = ['tests/test_config.py:1: in <module>', '    from app.config import load_settings', 'app/config.py:1: in <module>', '    import yaml', "E   ModuleNotFoundError: No module named 'yaml'"].join('\n');
    const picked = pick({ cases: [failing('tests/test_config.py::test_load', details, "ModuleNotFoundError: No module named 'yaml'")] });
    expect(picked).toEqual([
      {
        path: 'requirements.txt',
        addPackage: 'pyyaml',
        why: ["ModuleNotFoundError: No module named 'yaml': a package the code imports is not declared; add pyyaml (the distribution that provides the import \"yaml\") to requirements.txt"],
      },
    ]);
  });

  it('does not blame the manifest for a project module or a package it already declares', () => {
    const details = ['app/main.py:3: in <module>', '    from app.modles import Rule', "E   ModuleNotFoundError: No module named 'app.modles'"].join('\n');
    expect(pick({ cases: [failing('tests/test_api.py::test_create_and_list', details)] }).map((target) => target.path)).toEqual(['app/main.py']);
    const declared = ['app/main.py:1: in <module>', '    import fastapi', "E   ModuleNotFoundError: No module named 'fastapi'"].join('\n');
    expect(pick({ cases: [failing('tests/test_api.py::test_create_and_list', declared)] }).map((target) => target.path)).toEqual(['app/main.py']);
  });

  it('sends a package declared under the wrong distribution name to the manifest', () => {
    const details = ['app/config.py:1: in <module>', '    import yaml', "E   ModuleNotFoundError: No module named 'yaml'"].join('\n');
    const wrongName: Record<string, string> = { ...files, 'requirements.txt': 'fastapi\nyaml>=6\n' };
    const picked = pickRepairTargets({ cases: [failing('tests/test_config.py::test_load', details)], log: '' }, plan, (path) => wrongName[path]);
    expect(picked.map((target) => [target.file.path, target.addPackage, target.why])).toEqual([
      ['requirements.txt', 'pyyaml', ["ModuleNotFoundError: No module named 'yaml': requirements.txt declares yaml, but the import \"yaml\" comes from the distribution pyyaml; declare pyyaml instead"]],
    ]);
  });

  it('an IndexError in a test is about the data the code under test gave it', () => {
    const details = ['>       assert client.get("/rules").json()[0]["action"] == "deny"', 'E       IndexError: list index out of range', '', 'tests/test_api.py:10: IndexError'].join('\n');
    expect(pick({ cases: [failing('tests/test_api.py::test_create_and_list', details)] }).map((target) => target.path)).toEqual(['app/main.py']);
  });

  it("sends node's Cannot find package to package.json", () => {
    const nodePlan: PlanFile[] = [
      { path: 'package.json', purpose: 'Manifest', language: 'json', kind: 'config', dependsOn: [], exports: [] },
      { path: 'src/app.js', purpose: 'App', language: 'javascript', kind: 'source', dependsOn: ['package.json'], exports: ['app'] },
      { path: 'test/app.test.js', purpose: 'Tests', language: 'javascript', kind: 'test', dependsOn: ['src/app.js'], exports: [] },
    ];
    const log = "node:internal/modules/esm/resolve:873\nError [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /sandbox/project/src/app.js\n    at packageResolve (node:internal/modules/esm/resolve:873:9)";
    const picked = pickRepairTargets({ cases: [], log }, nodePlan, (path) => (path === 'package.json' ? '{"dependencies":{"express":"^4"}}' : ''));
    expect(picked.map((target) => [target.file.path, target.addPackage])).toEqual([['package.json', 'zod']]);
  });

  it('blames the test when it raises an error of its own, not an assertion', () => {
    const details = ['    def test_add_and_list():', '>       store = RuleStor()', "E       NameError: name 'RuleStor' is not defined", '', 'tests/test_store.py:6: NameError'].join('\n');
    expect(pick({ cases: [failing('tests/test_store.py::test_add_and_list', details)] })[0]).toEqual({ path: 'tests/test_store.py', why: ['the error is raised in the test itself (tests/test_store.py:6)'] });
  });

  it('does not blame the test for an error a library raised on its call: the type it names is at fault', () => {
    const details = [
      '    def test_add_and_list():',
      '        store = RuleStore()',
      '>       store.add(Rule(name="web", source="any", destination="10.0.0.1", action="allow"))',
      '',
      'tests/test_store.py:7: ',
      '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _',
      '',
      '>   ???',
      'E   pydantic.error_wrappers.ValidationError: 1 validation error for Rule',
      'E   destination',
      'E     value is not a valid integer (type=type_error.integer)',
      '',
      'pydantic/main.py:342: ValidationError',
    ].join('\n');
    expect(pick({ cases: [failing('tests/test_store.py::test_add_and_list', details)] })).toEqual([
      { path: 'app/models.py', why: ['"Rule", named in the error, is defined here (reached from tests/test_store.py through the plan\'s dependencies)'] },
    ]);
  });

  it('sends a failed install step to the manifest', () => {
    const log = ['[service-creator] install: pip install -r requirements.txt', 'ERROR: Could not find a version that satisfies the requirement fastapi>=99 (from versions: none)', 'ERROR: No matching distribution found for fastapi>=99'].join('\n');
    expect(pick({ failedStep: 'install', log })).toEqual([{ path: 'requirements.txt', why: ['the install step failed: ERROR: No matching distribution found for fastapi>=99'] }]);
  });

  it('takes type checker diagnostics as evidence', () => {
    const picked = pick({ diagnostics: [{ path: 'app/store.py', line: 9, message: 'Expected 1 positional argument' }], log: 'FAILED' });
    expect(picked[0]).toEqual({ path: 'app/store.py', why: ['type checker: app/store.py:9: Expected 1 positional argument'] });
  });

  it('points a runaway test at the frames of its stack dump and at the test', () => {
    const runaway = {
      name: 'tests/test_store.py::test_add_and_list',
      file: 'tests/test_store.py',
      line: 5,
      stacks: ['Timeout (0:00:02)!', 'Thread 0x00007f (most recent call first):', '  File "app/store.py", line 14 in list', '  File "tests/test_store.py", line 8 in test_add_and_list', '  File "/usr/lib/python3/dist-packages/_pytest/python.py", line 194 in pytest_pyfunc_call'].join('\n'),
    };
    const picked = pick({ runaway });
    expect(picked.map((target) => target.path)).toEqual(['app/store.py', 'tests/test_store.py']);
    expect(picked[0]?.why).toEqual(['innermost project frame of the stack of tests/test_store.py::test_add_and_list when the run was stopped (app/store.py:14, in list)']);
    expect(picked[1]?.why).toContain('the test tests/test_store.py::test_add_and_list was still running when a limit stopped the run');
  });

  it('a runaway whose stack is caught in a test callback the source loop calls blames the source first', () => {
    const stacks = ['Timeout (0:00:02)!', 'Thread 0x00007f (most recent call first):', '  File "tests/test_store.py", line 9 in <lambda>', '  File "app/store.py", line 14 in list', '  File "tests/test_store.py", line 8 in test_add_and_list'].join('\n');
    const picked = pick({ runaway: { name: 'tests/test_store.py::test_add_and_list', file: 'tests/test_store.py', stacks } });
    expect(picked.map((target) => [target.path, target.why[0]])).toEqual([
      ['app/store.py', 'innermost project frame of the stack of tests/test_store.py::test_add_and_list when the run was stopped (app/store.py:14, in list)'],
      ['tests/test_store.py', 'the test tests/test_store.py::test_add_and_list was still running when a limit stopped the run'],
    ]);
    // A loop in the test itself: the test is where to look.
    const own = ['Timeout (0:00:02)!', 'Thread 0x00007f (most recent call first):', '  File "tests/test_store.py", line 9 in test_add_and_list'].join('\n');
    expect(pick({ runaway: { name: 'tests/test_store.py::test_add_and_list', file: 'tests/test_store.py', stacks: own } }).map((target) => target.path)).toEqual(['tests/test_store.py']);
  });

  it('in a dump of every thread, takes the thread busy in project code before the one waiting for it', () => {
    const stacks = [
      'Timeout (0:00:04)!',
      'Thread 0x00007f1 (most recent call first):',
      '  File "app/store.py", line 13 in list',
      '  File "app/main.py", line 17 in list_rules',
      '  File "/usr/lib/python3/dist-packages/anyio/_backends/_asyncio.py", line 867 in run',
      '',
      'Thread 0x00007f0 (most recent call first):',
      '  File "/usr/lib/python3.11/threading.py", line 320 in wait',
      '  File "/usr/lib/python3/dist-packages/starlette/testclient.py", line 90 in _portal_factory',
      '  File "tests/test_api.py", line 10 in test_create_and_list',
    ].join('\n');
    const picked = pick({ runaway: { name: 'tests/test_api.py::test_create_and_list', file: 'tests/test_api.py', stacks } });
    expect(picked.map((target) => target.path)).toEqual(['app/store.py', 'app/main.py', 'tests/test_api.py']);
  });

  it('falls back to what the failing tests test when the assertion says nothing more, and bounds the set', () => {
    const details = ['>       assert [rule.name for rule in store.list()] == ["web"]', "E       AssertionError: assert [] == ['web']", '', 'tests/test_store.py:8: AssertionError'].join('\n');
    const picked = pick({ cases: [failing('tests/test_store.py::test_add_and_list', details)] });
    expect(picked.map((target) => target.path)).toEqual(['app/store.py']);
    expect(picked[0]?.why).toEqual(['the failing tests depend on it and the failure names nothing more specific']);
    const many = Array.from({ length: 5 }, (_, index) => failing('tests/test_api.py::test_create_and_list', `app/store.py:${index + 1}: in add\napp/main.py:2: in x\napp/models.py:3: in y\napp/config.py:4: in z\nE   KeyError: 1`));
    expect(pick({ cases: many }, 2)).toHaveLength(2);
  });

  describe('a value assertion and widening after a round that changed nothing', () => {
    // The corpus's shape: the API test reaches the model only through main.py and service.py.
    const apiPlan: PlanFile[] = [
      { path: 'requirements.txt', purpose: 'Dependencies', language: 'text', kind: 'config', dependsOn: [], exports: [] },
      { path: 'app/models.py', purpose: 'Rule models', language: 'python', kind: 'source', dependsOn: ['requirements.txt'], exports: ['class RuleIn(BaseModel): name: str, port: int, action: str = "deny"', 'class Rule(RuleIn): id: int'] },
      { path: 'app/validation.py', purpose: 'Field checks', language: 'python', kind: 'source', dependsOn: [], exports: ['def normalize_action(action: str) -> str'] },
      { path: 'app/errors.py', purpose: 'Domain errors', language: 'python', kind: 'source', dependsOn: [], exports: ['class RuleNotFound(Exception)'] },
      { path: 'app/service.py', purpose: 'Use cases', language: 'python', kind: 'source', dependsOn: ['app/models.py', 'app/validation.py', 'app/errors.py'], exports: ['class RuleService'] },
      { path: 'app/main.py', purpose: 'HTTP API', language: 'python', kind: 'source', dependsOn: ['app/models.py', 'app/service.py'], exports: ['app', 'POST /rules -> 201 Rule'] },
      { path: 'tests/test_api.py', purpose: 'API tests', language: 'python', kind: 'test', dependsOn: ['app/main.py'], exports: [] },
    ];
    const apiFiles: Record<string, string> = {
      'app/models.py': 'from pydantic import BaseModel\n\n\nclass RuleIn(BaseModel):\n    name: str\n    port: int\n    action: str = "allow"\n\n\nclass Rule(RuleIn):\n    id: int\n',
      'app/validation.py': 'def normalize_action(action: str) -> str:\n    return action.strip().lower()\n',
      'app/errors.py': 'class RuleNotFound(Exception):\n    pass\n',
      'app/service.py': 'from app.models import Rule, RuleIn\nfrom app.validation import normalize_action\n\n\nclass RuleService:\n    def create(self, data: RuleIn) -> Rule:\n        action = normalize_action(data.action)\n        return Rule(id=1, **data.dict(), action=action)\n',
      'app/main.py': 'from fastapi import FastAPI\nfrom app.models import Rule, RuleIn\nfrom app.service import RuleService\n\napp = FastAPI()\n',
      'tests/test_api.py': 'def test_create():\n    created = client.post("/rules", json={"name": "https", "port": 443})\n    body = created.json()\n    assert body["action"] == "deny"\n',
    };
    const details = [
      'def test_create():',
      '        created = client.post("/rules", json={"name": "https", "port": 443})',
      '        body = created.json()',
      '>       assert body["action"] == "deny"',
      "E       AssertionError: assert 'allow' == 'deny'",
      'E         - deny',
      'E         + allow',
      '',
      'tests/test_api.py:4: AssertionError',
    ].join('\n');
    const cases = [failing('tests/test_api.py::test_create', details, "AssertionError: assert 'allow' == 'deny'")];
    const pickApi = (files: Record<string, string>, asked?: ReadonlySet<string>, planFiles = apiPlan) =>
      pickRepairTargets({ cases, log: '' }, planFiles, (path) => files[path], 3, asked).map((target) => ({ path: target.file.path, why: target.why }));

    it('blames the file defining the asserted field with the value the test got, reached only through main.py and service.py', () => {
      const picked = pickApi(apiFiles);
      expect(picked[0]).toEqual({
        path: 'app/models.py',
        why: [
          'the plan promises the field "action" with "deny" here (class RuleIn(BaseModel): name: str, port: int, action: str = "deny"); the test got "allow"',
          'gives the field "action" the value "allow" the test got, where it expected "deny" (action: str = "allow")',
        ],
      });
      expect(picked.map((target) => target.path)).toEqual(['app/models.py', 'app/validation.py']);
      expect(picked[1]?.why).toEqual(['the plan\'s interface here names the field "action" the failed assertion checks (def normalize_action(action: str) -> str)']);
    });

    it('reads the field from the test\'s own line when the runner does not echo it (node:test)', () => {
      const nodePlan: PlanFile[] = [
        { path: 'src/models.ts', purpose: 'Rule models', language: 'typescript', kind: 'source', dependsOn: [], exports: ["export interface RuleIn { name: string; action?: 'allow' | 'deny' }", "export const defaultAction = 'deny'"] },
        { path: 'src/rules.ts', purpose: 'Rule defaults', language: 'typescript', kind: 'source', dependsOn: ['src/models.ts'], exports: ['export function withDefaults(input: RuleIn): Rule'] },
        { path: 'src/server.ts', purpose: 'HTTP API', language: 'typescript', kind: 'source', dependsOn: ['src/rules.ts'], exports: ['POST /rules -> 201 Rule'] },
        { path: 'test/api.test.ts', purpose: 'API tests', language: 'typescript', kind: 'test', dependsOn: ['src/server.ts'], exports: [] },
      ];
      const nodeFiles: Record<string, string> = {
        'src/models.ts': "export const defaultAction = 'deny';\n",
        'src/rules.ts': "export function withDefaults(input: RuleIn): Rule {\n  return { ...input, action: input.action ?? 'allow' };\n}\n",
        'src/server.ts': 'export const server = 1;\n',
        'test/api.test.ts': "test('create', async () => {\n  const body = await post('/rules');\n  assert.equal(body.action, 'deny');\n});\n",
      };
      const stack = ['AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:', '', "'allow' !== 'deny'", '', '    at TestContext.<anonymous> (file:///sandbox/project/test/api.test.ts:3:10)'].join('\n');
      const nodeCase: TestCase = { name: 'create', file: 'test/api.test.ts', status: 'failed', durationMs: 1, message: "Expected values to be strictly equal:\n\n'allow' !== 'deny'\n", details: stack };
      const picked = pickRepairTargets({ cases: [nodeCase], log: '' }, nodePlan, (path) => nodeFiles[path]);
      expect(picked.map((target) => target.file.path)).toEqual(['src/rules.ts', 'src/models.ts']);
      expect(picked[0]?.why).toEqual(['gives the field "action" the value "allow" the test got, where it expected "deny" (return { ...input, action: input.action ?? \'allow\' };)']);
    });

    it('blames the test when the plan promises the value it got and nothing promises the one it expected', () => {
      const promisesAllow = apiPlan.map((file) => (file.path === 'app/models.py' ? { ...file, exports: ['class RuleIn(BaseModel): name: str, port: int, action: str = "allow"'] } : file));
      const picked = pickApi(apiFiles, undefined, promisesAllow);
      expect(picked[0]).toEqual({ path: 'tests/test_api.py', why: ['the test expects "action" to be "deny", but the plan promises "allow" (app/models.py)'] });
    });

    it('after a round that changed nothing, asks the sources not asked yet that the test reaches, nearest first, up to the bound', () => {
      const asked = new Set(['app/models.py', 'app/validation.py']);
      const picked = pickApi(apiFiles, asked);
      expect(picked.map((target) => target.path)).toEqual(['app/main.py', 'app/service.py', 'app/errors.py']);
      expect(picked[0]?.why).toEqual(["reached from tests/test_api.py through the plan's dependencies (1 step); the files asked before changed nothing"]);
      expect(picked[2]?.why).toEqual(["reached from tests/test_api.py through the plan's dependencies (3 steps); the files asked before changed nothing"]);
      // Nothing left to ask: the loop stops instead of asking the same files again.
      expect(pickApi(apiFiles, new Set([...asked, 'app/main.py', 'app/service.py', 'app/errors.py']))).toEqual([]);
    });

    it('without a round before, does not widen: only the evidence picks', () => {
      const plain = pickApi({ ...apiFiles, 'app/models.py': (apiFiles['app/models.py'] ?? '').replace('"allow"', '"deny"') });
      expect(plain.map((target) => target.path)).toEqual(['app/models.py', 'app/validation.py']);
    });
  });
});
