import { checkProjectPath } from './checkProjectPath.ts';
import { maxPlanFiles, type Plan } from './plan.ts';

/**
 * What is wrong, for programs: the editor places a problem by its kind (a duplicate belongs to
 * the later copy), never by reading its message.
 */
export const planProblemKinds = ['too-many-files', 'unsafe-path', 'duplicate-path', 'file-is-folder', 'depends-on-itself', 'unknown-dependency', 'dependency-cycle', 'no-test-file'] as const;
export type PlanProblemKind = (typeof planProblemKinds)[number];

export interface PlanProblem {
  kind: PlanProblemKind;
  /** The file the problem is about ("" for the plan as a whole). */
  path: string;
  /** For people: names the paths involved. */
  message: string;
}

/**
 * Everything wrong with a plan before any file is generated: unsafe or duplicate paths (also
 * when they differ only by case or Unicode normal form, which Windows and macOS cannot hold side
 * by side; a file that is also another's folder), dependencies on files not in the plan,
 * dependency cycles (named), no test file, too many files. Returns the plan with normalised paths
 * when there is nothing wrong.
 */
export function checkPlan(plan: Plan): { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  if (plan.files.length > maxPlanFiles) problems.push({ kind: 'too-many-files', path: '', message: `the plan has ${plan.files.length} files; at most ${maxPlanFiles}` });
  const normal = new Map<string, string>();
  const byFolded = new Map<string, string>();
  for (const file of plan.files) {
    const checked = checkProjectPath(file.path);
    if (!checked.ok) {
      problems.push({ kind: 'unsafe-path', path: file.path, message: checked.problem });
      continue;
    }
    // The same fold as the export (prepareExportFiles): a clash found only there would waste the run.
    const folded = checked.path.normalize('NFC').toLowerCase();
    const clash = byFolded.get(folded);
    if (clash !== undefined) {
      const message =
        clash === checked.path
          ? `"${checked.path}" is planned twice`
          : clash.toLowerCase() === checked.path.toLowerCase()
            ? `"${checked.path}" and "${clash}" differ only by case; they cannot both exist on Windows or macOS`
            : `"${checked.path}" and "${clash}" differ only in Unicode normal form; macOS stores them as one file`;
      problems.push({ kind: 'duplicate-path', path: file.path, message });
      continue;
    }
    byFolded.set(folded, checked.path);
    normal.set(file.path, checked.path);
  }
  // A path that is also the folder of another cannot be written (the export refuses it too).
  for (const path of byFolded.values()) {
    const segments = path.split('/');
    for (let end = 1; end < segments.length; end += 1) {
      const asFile = byFolded.get(segments.slice(0, end).join('/').normalize('NFC').toLowerCase());
      if (asFile !== undefined) problems.push({ kind: 'file-is-folder', path, message: `"${asFile}" is a file, so "${path}" cannot be inside it` });
    }
  }
  const files = plan.files.map((file) => ({
    ...file,
    path: normal.get(file.path) ?? file.path,
    dependsOn: [...new Set(file.dependsOn.map((dependency) => normalizeDependency(dependency)))],
  }));
  const known = new Set(files.map((file) => file.path));
  for (const file of files) {
    for (const dependency of file.dependsOn) {
      if (dependency === file.path) problems.push({ kind: 'depends-on-itself', path: file.path, message: `"${file.path}" depends on itself` });
      else if (!known.has(dependency)) problems.push({ kind: 'unknown-dependency', path: file.path, message: `"${file.path}" depends on "${dependency}", which is not in the plan` });
    }
  }
  const cycle = findCycle(files);
  if (cycle) problems.push({ kind: 'dependency-cycle', path: cycle[0] ?? '', message: `dependency cycle: ${cycle.join(' -> ')}` });
  if (!files.some((file) => file.kind === 'test')) problems.push({ kind: 'no-test-file', path: '', message: 'the plan has no test file; a generated service must come with its tests' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan: { ...plan, files } };
}

function normalizeDependency(path: string): string {
  const checked = checkProjectPath(path);
  return checked.ok ? checked.path : path;
}

/** One dependency cycle as a path list that starts and ends with the same file, or undefined. */
export function findCycle(files: readonly { path: string; dependsOn: readonly string[] }[]): string[] | undefined {
  const edges = new Map(files.map((file) => [file.path, file.dependsOn.filter((dependency) => dependency !== file.path)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (path: string): string[] | undefined => {
    state.set(path, 'visiting');
    stack.push(path);
    for (const next of edges.get(path) ?? []) {
      if (!edges.has(next)) continue;
      if (state.get(next) === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(path, 'done');
    return undefined;
  };
  for (const path of edges.keys()) {
    if (state.get(path) === undefined) {
      const found = visit(path);
      if (found) return found;
    }
  }
  return undefined;
}
