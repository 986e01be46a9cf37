import { checkPlan } from '../../../src-shared/pipeline/checkPlan.ts';
import { planSchema } from '../../../src-shared/pipeline/plan.ts';
import { fromDraft, type PlanDraft } from './planDraft.ts';

export interface DraftProblems {
  /** Problems of one file, by the row's key. */
  byFile: ReadonlyMap<number, readonly string[]>;
  /** Problems of the plan as a whole (commands, no test file, too many files). */
  plan: readonly string[];
  count: number;
}

const fieldLabels: Record<string, string> = {
  path: 'Path',
  purpose: 'Purpose',
  language: 'Language',
  kind: 'Kind',
  dependsOn: 'Depends on',
  exports: 'Exports',
  install: 'Install command',
  test: 'Test command',
  files: 'Files',
};

/**
 * Everything the core would refuse in the draft, found locally as the user types: the plan's
 * schema (empty purpose, too long, ...) and `checkPlan` (unsafe or duplicate paths, unknown
 * dependencies, cycles, no test file), each placed on the file it is about.
 */
export function checkDraft(draft: PlanDraft): DraftProblems {
  const plan = fromDraft(draft);
  const byFile = new Map<number, string[]>();
  const whole: string[] = [];
  const add = (key: number | undefined, message: string) => {
    if (key === undefined) {
      if (!whole.includes(message)) whole.push(message);
      return;
    }
    const list = byFile.get(key) ?? [];
    if (!list.includes(message)) list.push(message);
    byFile.set(key, list);
  };

  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, index, field] = issue.path;
      if (first === 'files' && typeof index === 'number') {
        const label = typeof field === 'string' ? (fieldLabels[field] ?? field) : 'File';
        add(draft.files[index]?.key, `${label}: ${issue.message}`);
      } else {
        add(undefined, `${typeof first === 'string' ? (fieldLabels[first] ?? first) : 'Plan'}: ${issue.message}`);
      }
    }
  }

  const checked = checkPlan(plan);
  if (!checked.ok) {
    const duplicates = checked.problems.filter((problem) => problem.kind === 'duplicate-path');
    for (const problem of checked.problems) {
      const rows = problem.path === '' ? [] : draft.files.filter((file) => file.path.trim() === problem.path);
      if (rows.length === 0) {
        add(undefined, problem.message);
      } else if (problem.kind === 'duplicate-path') {
        // A duplicate belongs to a later copy, not the first: checkPlan reports each later copy
        // once, in order, so the n reports of a path go to the last n rows with that path (the
        // first copy may be spelt differently, by case or Unicode form, and then is not a row here).
        const reports = duplicates.filter((report) => report.path === problem.path);
        add(rows[rows.length - reports.length + reports.indexOf(problem)]?.key, problem.message);
      } else {
        for (const row of rows) add(row.key, problem.message);
      }
    }
  }
  let count = whole.length;
  for (const list of byFile.values()) count += list.length;
  return { byFile, plan: whole, count };
}
