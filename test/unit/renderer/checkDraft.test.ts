import { describe, expect, it } from 'vitest';
import { checkDraft } from '../../../src-renderer/features/pipeline/checkDraft.ts';
import type { DraftFile, PlanDraft } from '../../../src-renderer/features/pipeline/planDraft.ts';

let key = 100;
function row(path: string, extra: Partial<DraftFile> = {}): DraftFile {
  return { key: key++, path, purpose: `the ${path} file`, language: 'python', kind: 'source', dependsOn: '', exports: '', ...extra };
}

function draft(...files: DraftFile[]): PlanDraft {
  return { files: [...files, row('tests/test_app.py', { kind: 'test' })], install: '', test: 'pytest -q' };
}

const problemsOf = (plan: PlanDraft, file: DraftFile) => checkDraft(plan).byFile.get(file.key);

describe('checkDraft places each problem on the row it is about (by kind, not by words)', () => {
  it('a path planned three times: the two later copies each carry it, the first none', () => {
    const first = row('app/main.py');
    const second = row('app/main.py');
    const third = row('app/main.py');
    const plan = draft(first, second, third);
    expect(problemsOf(plan, first)).toBeUndefined();
    expect(problemsOf(plan, second)).toEqual(['"app/main.py" is planned twice']);
    expect(problemsOf(plan, third)).toEqual(['"app/main.py" is planned twice']);
    expect(checkDraft(plan).count).toBe(2);
  });

  it('two later copies that differ from the first by case: both carry it, the first none', () => {
    const first = row('app/models.py');
    const second = row('app/Models.py');
    const third = row('app/Models.py');
    const plan = draft(first, second, third);
    expect(problemsOf(plan, first)).toBeUndefined();
    const clash = ['"app/Models.py" and "app/models.py" differ only by case; they cannot both exist on Windows or macOS'];
    expect(problemsOf(plan, second)).toEqual(clash);
    expect(problemsOf(plan, third)).toEqual(clash);
  });

  it('a copy that differs only in Unicode normal form: only the later one carries it', () => {
    const composed = 'app/caf\u00e9.py';
    const decomposed = 'app/cafe\u0301.py';
    const first = row(composed);
    const second = row(decomposed);
    const plan = draft(first, second);
    expect(problemsOf(plan, first)).toBeUndefined();
    expect(problemsOf(plan, second)).toEqual([`${JSON.stringify(decomposed)} and ${JSON.stringify(composed)} differ only in Unicode normal form; macOS stores them as one file`]);
  });

  it('other problems go on every row with the path, plan-wide ones on the plan', () => {
    const a = row('app/a.py', { dependsOn: 'app/missing.py' });
    const plan: PlanDraft = { files: [a], install: '', test: 'pytest -q' };
    const checked = checkDraft(plan);
    expect(checked.byFile.get(a.key)).toEqual(['"app/a.py" depends on "app/missing.py", which is not in the plan']);
    expect(checked.plan).toEqual(['the plan has no test file; a generated service must come with its tests']);
  });
});
