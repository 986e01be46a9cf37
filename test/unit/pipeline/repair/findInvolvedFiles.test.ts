import { describe, expect, it } from 'vitest';
import { failingTestFiles, findInvolvedFiles } from '../../../../src-main/pipeline/repair/findInvolvedFiles.ts';
import type { TestCase } from '../../../../src-shared/sandbox/sandboxTypes.ts';
import { firewallPlan } from '../../../support/pipelineProject.ts';

const failing = (testCase: Partial<TestCase>): TestCase => ({ name: 'test_x', status: 'failed', durationMs: 1, ...testCase });
const paths = (files: { path: string }[]) => files.map((file) => file.path);

describe('findInvolvedFiles', () => {
  it('points at the source files a traceback names, not the test that caught the bug', () => {
    const details = 'tests/test_store.py:9: in test_add_and_list\n    store.add(rule)\napp/store.py:11: in add\n    self._rules.appendd(rule)\nE   AttributeError';
    const cases = [failing({ name: 'test_add_and_list', classname: 'tests.test_store', details })];
    expect(paths(findInvolvedFiles({ cases, log: '' }, firewallPlan.files))).toEqual(['app/store.py']);
    expect(paths(failingTestFiles({ cases }, firewallPlan.files))).toEqual(['tests/test_store.py']);
  });

  it('when only the test is named (a failed assertion), asks fixes of what that test depends on', () => {
    const cases = [failing({ name: 'test_create_and_list', classname: 'tests.test_api', message: "assert 'allow' == 'deny'", details: 'tests/test_api.py:11: AssertionError' })];
    expect(paths(findInvolvedFiles({ cases, log: '' }, firewallPlan.files))).toEqual(['app/main.py']);
  });

  it('of what a failing test depends on, asks only for the modules its failure names', () => {
    const details = "tests/test_store.py:8: in test_add_and_list\n    assert [rule.name for rule in store.list()] == ['web']\nE   AssertionError";
    const cases = [failing({ name: 'test_add_and_list', classname: 'tests.test_store', details })];
    // test_store depends on app/store.py and app/models.py; only `store` is named.
    expect(paths(findInvolvedFiles({ cases, log: '' }, firewallPlan.files))).toEqual(['app/store.py']);
  });

  it('without a report, reads the log; names inside other words do not count', () => {
    const log = 'Traceback (most recent call last):\n  File "/work/app/models.py", line 3\nSyntaxError: invalid syntax\nmyapp/store.pyc is unrelated';
    expect(paths(findInvolvedFiles({ cases: [], log }, firewallPlan.files))).toEqual(['app/models.py']);
    expect(findInvolvedFiles({ cases: [], log: 'Killed' }, firewallPlan.files)).toEqual([]);
  });

  it('ignores passing and skipped cases and caps the number of files', () => {
    const cases = [failing({ status: 'passed', details: 'app/store.py' }), failing({ status: 'skipped', details: 'app/main.py' })];
    expect(findInvolvedFiles({ cases, log: '' }, firewallPlan.files)).toEqual([]);
    const many = [failing({ details: 'app/models.py app/store.py app/main.py requirements.txt' })];
    expect(paths(findInvolvedFiles({ cases: many, log: '' }, firewallPlan.files, 2))).toEqual(['requirements.txt', 'app/models.py']);
  });
});
